// The demo connector: what the app runs with no config file, and what tests and benchmarks use.
import { memberIdOf, SAMPLE_MEMBER_INDEX } from './people.ts'

export { createDemoConnector, DEFAULT_DEMO_SEED, DEMO_STORE_ID, type DemoOptions } from './connector.ts'
export { demoTotals, type DemoTotals } from './totals.ts'

/**
 * 佐藤 美咲, gold, runner: two years of history with online views and orders, purchases at the
 * register's store and at another one, views in the last three days of products in stock at the
 * register's store, and an unused single-use coupon of her own.
 */
export const demoSampleMemberId: string = memberIdOf(SAMPLE_MEMBER_INDEX)
