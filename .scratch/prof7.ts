import { openDatabase } from '../electron/services/db/open.ts'
import { upsertEvent } from '../electron/services/db/events.ts'
import { onEventsApplied } from '../electron/services/suggest/cooccurrence.ts'
import { buildCatalog } from '../electron/services/sync/demo/catalog.ts'
import type { ProfileEvent } from '../shared/records.ts'
function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => { a = (a + 0x6d2b79f5) >>> 0; let t = a; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296 }
}
const db = openDatabase(process.argv[2]!)
const catalog = buildCatalog(20261122, 3000, 'S001')
const rand = mulberry32(Number(process.argv[3] ?? 7))
const NOW = Date.parse('2026-11-22T03:00:00.000Z')
const ev: ProfileEvent[] = []
for (let order = 0; ev.length < 100000; order++) {
  const member = 'M' + String(1 + Math.floor(rand() * 1000000)).padStart(7, '0')
  const at = new Date(NOW - Math.floor(rand() * 14 * 86400000)).toISOString()
  const lines = 1 + Math.floor(rand() * 3)
  for (let i = 0; i < lines && ev.length < 100000; i++) { const p = catalog.products[Math.floor(rand() * 3000)]!; ev.push({ id: `n${order}:${i}`, memberId: member, type: 'purchase', channel: 'store', sku: p.sku, qty: 1, price: 1, orderId: `n${order}`, storeId: 'S001', at }) }
}
let c = 0
db.exec('BEGIN IMMEDIATE'); if (process.env.DROP) db.exec('DROP INDEX item_pairs_rank'); if (process.env.CACHE) db.pragma('cache_size = -' + process.env.CACHE)
for (let s = 0; s < ev.length; s += 5000) { const page = ev.slice(s, s + 5000); for (const e of page) upsertEvent(db, e, 1); const t = performance.now(); onEventsApplied(db, page); c += performance.now() - t }
db.exec('ROLLBACK')
console.log('counting', c.toFixed(0), 'ms')
console.log((globalThis as any).T)
