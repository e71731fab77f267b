// How big the demo retailer is at a given scale. Counts are exact: the feed's progress bar and
// the tests rely on them.
import { storeSeeds } from './catalog-data.ts'
import { COUPON_COUNT } from './coupons.ts'

export type DemoTotals = {
  stores: number
  products: number
  inventory: number
  coupons: number
  customers: number
  events: number
  total: number
}

/** Above this the event offsets would not fit the Int32Array index. */
const MAX_SCALE = 100

export function assertScale(scale: number): void {
  if (!Number.isFinite(scale) || scale <= 0 || scale > MAX_SCALE) {
    throw new RangeError(`demo connector: scale must be a number in (0, ${MAX_SCALE}], got ${scale}`)
  }
}

export function demoTotals(scale: number): DemoTotals {
  assertScale(scale)
  const stores = storeSeeds.length
  // Products shrink less than members so small test feeds still have every kind of product.
  const products = Math.min(3000, Math.max(300, Math.ceil(3000 * scale - 1e-9)))
  const inventory = stores * products
  const coupons = COUPON_COUNT
  const customers = Math.max(1, Math.round(50_000 * scale))
  const events = Math.round(1_000_000 * scale)
  return { stores, products, inventory, coupons, customers, events, total: stores + products + inventory + coupons + customers + events }
}
