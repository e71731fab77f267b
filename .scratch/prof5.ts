import { openDatabase } from '../electron/services/db/open.ts'
import { upsertEvent } from '../electron/services/db/events.ts'
import { onEventsApplied } from '../electron/services/suggest/cooccurrence.ts'
import { buildCatalog } from '../electron/services/sync/demo/catalog.ts'
import type { ProfileEvent } from '../shared/records.ts'
const file = process.argv[2]!
const customers = Number(process.argv[3] ?? 20000)
const db = openDatabase(file)
const catalog = buildCatalog(20261122, 3000, 'S001')
let a = 7
const rand = () => { a = (a * 1103515245 + 12345) % 2147483648; return a / 2147483648 }
const NOW = Date.parse('2026-11-22T03:00:00.000Z')
const ev: ProfileEvent[] = []
for (let order = 0; ev.length < 100000; order++) {
  const member = 'M' + String(1 + Math.floor(rand() * customers)).padStart(7, '0')
  const at = new Date(NOW - Math.floor(rand() * 14 * 86400000)).toISOString()
  const lines = 1 + Math.floor(rand() * 3)
  for (let i = 0; i < lines && ev.length < 100000; i++) { const p = catalog.products[Math.floor(rand() * 3000)]!; ev.push({ id: `n${order}:${i}`, memberId: member, type: 'purchase', channel: 'store', sku: p.sku, qty: 1, price: 1, orderId: `n${order}`, storeId: 'S001', at }) }
}
let c = 0
db.exec('BEGIN IMMEDIATE')
for (let s = 0; s < ev.length; s += 5000) { const page = ev.slice(s, s + 5000); for (const e of page) upsertEvent(db, e, 1); const t = performance.now(); onEventsApplied(db, page); c += performance.now() - t }
const pairs = db.prepare('select count(*) n, sum(together) s from item_pairs').get()
db.exec('ROLLBACK')
console.log('counting', c.toFixed(0), 'ms', pairs)
