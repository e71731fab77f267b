// The register's cache as a SuggestSource, and the product and stock reads the engine needs.
import { prepared, type ReadableDB } from '../db/handle.ts'
import { dayKeyOf, dayNumber, trendScore, WEEK_DAYS } from './popularity.ts'
import { readMemo, type ProductRow } from './read-memo.ts'
import type { Neighbour, PopularItem, RepeatStats, SuggestSource } from './types.ts'

export type { ProductRow } from './read-memo.ts'

type RawProductRow = { sku: string; name: string; price_yen: number; active: number; extra: string }

/** One JSON parse per record: `extra` is `[category, attributes]`. */
const PRODUCT_COLUMNS = `p.sku, p.name, p.price_yen, p.active, json_extract(p.record, '$.category', '$.attributes') AS extra`

function rowToProduct(row: RawProductRow): ProductRow {
  const [path, attributes] = JSON.parse(row.extra) as [unknown, unknown]
  const category = Array.isArray(path) && path.length > 0 ? path.join(' > ') : null
  const size = attributes && typeof attributes === 'object' ? (attributes as Record<string, unknown>)['size'] : undefined
  return {
    sku: row.sku,
    name: row.name,
    priceYen: row.price_yen,
    active: row.active === 1,
    category,
    size: typeof size === 'string' ? size : null,
    attributes: attributes && typeof attributes === 'object' ? JSON.stringify(attributes) : null,
  }
}

/** The products among `skus` that the cache holds. */
export function productRows(db: ReadableDB, skus: Iterable<string>): Map<string, ProductRow> {
  const memo = readMemo(db).products
  const found = new Map<string, ProductRow>()
  const missing: string[] = []
  for (const sku of skus) {
    const known = memo.get(sku)
    if (known) found.set(sku, known)
    else if (known === undefined && !found.has(sku)) missing.push(sku)
  }
  if (missing.length === 0) return found
  const unique = [...new Set(missing)]
  for (const sku of unique) memo.set(sku, null)
  const rows = prepared<[string], RawProductRow>(db, `SELECT ${PRODUCT_COLUMNS} FROM products AS p WHERE p.sku IN (SELECT value FROM json_each(?))`).all(JSON.stringify(unique))
  for (const row of rows) {
    const product = rowToProduct(row)
    memo.set(row.sku, product)
    found.set(row.sku, product)
  }
  return found
}

/** Products whose sku starts with `prefix` (a style's other sizes), at most 50. */
export function productsWithPrefix(db: ReadableDB, prefix: string): ProductRow[] {
  const memo = readMemo(db).prefixes
  let found = memo.get(prefix)
  if (!found) {
    found = prepared<[string, string], RawProductRow>(db, `SELECT ${PRODUCT_COLUMNS} FROM products AS p WHERE p.sku > ? AND p.sku < ? ORDER BY p.sku LIMIT 50`)
      .all(prefix, prefix + '\uffff')
      .map(rowToProduct)
    memo.set(prefix, found)
  }
  return found
}

/** Units on hand at the store for each of `skus` that has a stock record there. */
export function stockHere(db: ReadableDB, storeId: string, skus: Iterable<string>): Map<string, number> {
  const list = [...new Set(skus)]
  const found = new Map<string, number>()
  if (list.length === 0) return found
  const rows = prepared<[string, string], { sku: string; on_hand: number }>(
    db,
    'SELECT sku, on_hand FROM inventory WHERE store_id = ? AND sku IN (SELECT value FROM json_each(?))',
  ).all(storeId, JSON.stringify(list))
  for (const row of rows) found.set(row.sku, row.on_hand)
  return found
}

type Popularity = { here: PopularItem[]; byCategory: Map<string, PopularItem[]> }
type CachedPopularity = { key: string; builtAtMs: number; value: Popularity }

const POPULARITY_TTL_MS = 60_000
/** Items read per channel to make the lists (the store's and the category ones). */
const POPULARITY_ROWS = 1000
const popularityCache = new WeakMap<ReadableDB, Map<string, CachedPopularity>>()

/**
 * What sells at `storeId` now (its own sales) and, per category, there and online; active
 * products only. Kept for a minute (and the day): sales move these lists slowly, and rebuilding
 * them after every page of the feed would cost the card that comes next.
 */
export function popularity(db: ReadableDB, storeId: string, nowMs: number): Popularity {
  let perStore = popularityCache.get(db)
  if (!perStore) popularityCache.set(db, (perStore = new Map()))
  const today = dayNumber(nowMs)
  const key = String(today)
  const cached = perStore.get(storeId)
  if (cached && cached.key === key && Math.abs(nowMs - cached.builtAtMs) < POPULARITY_TTL_MS) return cached.value
  const top = prepared<[string, number], { sku: string; weight: number }>(db, 'SELECT sku, weight FROM item_trend WHERE store_id = ? ORDER BY weight DESC LIMIT ?')
  const hereRows = top.all(storeId, POPULARITY_ROWS)
  const everywhere = new Map<string, number>()
  for (const row of [...hereRows, ...(storeId === '' ? [] : top.all('', POPULARITY_ROWS))]) everywhere.set(row.sku, (everywhere.get(row.sku) ?? 0) + row.weight)
  const products = productRows(db, everywhere.keys())
  const active = (sku: string): boolean => products.get(sku)?.active === true
  const weekly = new Map(
    prepared<[string, string, string], { sku: string; n: number }>(
      db,
      'SELECT sku, sum(qty) AS n FROM item_sales WHERE store_id = ? AND sku IN (SELECT value FROM json_each(?)) AND day >= ? GROUP BY sku',
    )
      .all(storeId, JSON.stringify(hereRows.map((r) => r.sku)), dayKeyOf(today - WEEK_DAYS + 1))
      .map((r) => [r.sku, r.n]),
  )
  const item = (sku: string, weight: number): PopularItem => ({ sku, score: trendScore(weight, today), soldThisWeek: weekly.get(sku) ?? 0 })
  const byCategory = new Map<string, PopularItem[]>()
  for (const [sku, weight] of [...everywhere].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))) {
    const category = products.get(sku)?.category
    if (!active(sku) || !category) continue
    const list = byCategory.get(category)
    if (list) list.push(item(sku, weight))
    else byCategory.set(category, [item(sku, weight)])
  }
  const value = { here: hereRows.filter((r) => active(r.sku)).map((r) => item(r.sku, r.weight)), byCategory }
  perStore.set(storeId, { key, builtAtMs: nowMs, value })
  return value
}

/** An item's partners, most members first (on item_pairs_rank). */
export const NEIGHBOURS_SQL = `SELECT i.sku, p.together, b.buyers
   FROM item_pairs AS p
   JOIN items AS i ON i.id = p.b
   JOIN item_buyers AS b ON b.item = p.b
  WHERE p.a = ?
  ORDER BY p.together DESC, p.b
  LIMIT ?`

export function dbSource(db: ReadableDB, storeId: string, nowMs: number): SuggestSource {
  const memo = readMemo(db)
  return {
    neighbours(sku: string, limit: number): { buyers: number; items: Neighbour[] } {
      const key = `${sku}\u0000${limit}`
      let found = memo.neighbours.get(key)
      if (!found) {
        const own = prepared<[string], { id: number; buyers: number }>(db, 'SELECT i.id, b.buyers FROM items AS i JOIN item_buyers AS b ON b.item = i.id WHERE i.sku = ?').get(sku)
        const items = own ? prepared<[number, number], Neighbour>(db, NEIGHBOURS_SQL).all(own.id, limit) : []
        found = { buyers: own?.buyers ?? 0, items }
        memo.neighbours.set(key, found)
      }
      return found
    },
    bestsellers: (limit) => popularity(db, storeId, nowMs).here.slice(0, limit),
    bestsellersIn: (category, limit) => (popularity(db, storeId, nowMs).byCategory.get(category) ?? []).slice(0, limit),
    repeatStatsOf(skus) {
      const found = new Map<string, RepeatStats>()
      const missing: string[] = []
      for (const sku of skus) {
        const known = memo.repeat.get(sku)
        if (known) found.set(sku, known)
        else if (known === undefined) missing.push(sku)
      }
      if (missing.length === 0) return found
      for (const sku of missing) memo.repeat.set(sku, null)
      const rows = prepared<[string], { sku: string; buyers: number; repeaters: number; gap_days: number; gaps: number }>(
        db,
        'SELECT i.sku, b.buyers, b.repeaters, b.gap_days, b.gaps FROM items AS i JOIN item_buyers AS b ON b.item = i.id WHERE i.sku IN (SELECT value FROM json_each(?))',
      ).all(JSON.stringify(missing))
      for (const row of rows) {
        const stats = { buyers: row.buyers, repeaters: row.repeaters, cycleDays: row.gaps > 0 ? row.gap_days / row.gaps : null }
        memo.repeat.set(row.sku, stats)
        found.set(row.sku, stats)
      }
      return found
    },
    categoriesOf(skus) {
      const found = new Map<string, string>()
      for (const [sku, product] of productRows(db, skus)) if (product.category !== null) found.set(sku, product.category)
      return found
    },
  }
}
