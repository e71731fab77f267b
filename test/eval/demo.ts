// The demo retailer (electron/services/sync/demo) as an evaluation dataset: its members' views,
// carts and purchases (online and in store), and each product's category.
import { createDemoConnector } from '../../electron/services/sync/demo/index.ts'
import type { Product, ProfileEvent } from '../../shared/records.ts'
import type { EvalEvent } from './split.ts'

export async function demoShop(scale: number): Promise<{ events: EvalEvent[]; categoryOf: Map<string, string> }> {
  const connector = createDemoConnector({ scale, now: () => new Date('2026-11-22T00:00:00Z') })
  const events: EvalEvent[] = []
  const categoryOf = new Map<string, string>()
  let cursor: string | null = null
  for (;;) {
    const page = await connector.pullChanges(cursor, 5000)
    for (const change of page.changes) {
      if (change.kind === 'product') {
        const product = change.data as Product
        categoryOf.set(product.sku, product.category.join('/'))
      } else if (change.kind === 'event') {
        const e = change.data as ProfileEvent
        if (!e.sku || (e.type !== 'view' && e.type !== 'cart' && e.type !== 'purchase')) continue
        events.push({ atMs: Date.parse(e.at), visitor: e.memberId, type: e.type, item: e.sku, ...(e.orderId ? { transaction: e.orderId } : {}) })
      }
    }
    cursor = page.cursor
    if (!page.hasMore) break
  }
  return { events: events.sort((a, b) => a.atMs - b.atMs), categoryOf }
}
