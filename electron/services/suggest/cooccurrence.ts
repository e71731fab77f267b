// Keeps the derived purchase tables (items, item_buyers, item_pairs, item_sales, item_trend) up to date inside the
// transaction that applies the purchases, so they always match the cache they come from.
//
// Each purchase event is counted once, ever: its id goes into purchases_counted in the same
// transaction. A page delivered twice, an event fetched again after retention dropped it, or the
// feed bringing back a sale this register recorded itself therefore add nothing. Deleting an
// event does not uncount it (the counts are what the cache has seen; they are emptied and rebuilt
// with the cache).
//
// Counting follows pairs.ts: per member, with the member's purchases already in the cache.
// Purchases of members without personalization consent count too: these tables are aggregates
// over everyone and never suggest anything to a customer from their own history.
import type { ProfileEvent } from '../../../shared/records.ts'
import { prepared, type ReadableDB, type WritableDB } from '../db/handle.ts'
import { MemberBasket } from './pairs.ts'
import { dayKeyOf, dayNumber, trendWeight } from './popularity.ts'

/** What a purchase adds, gathered per call and written once per key. */
class Increments {
  readonly buyers = new Map<string, { buyers: number; repeaters: number; gapDays: number; gaps: number }>()
  readonly pairs = new Map<string, Map<string, number>>()
  readonly sales = new Map<string, number>()
  readonly trend = new Map<string, number>()
  purchases = 0

  addPair(a: string, b: string): void {
    for (const [x, y] of [
      [a, b],
      [b, a],
    ] as const) {
      let row = this.pairs.get(x)
      if (!row) this.pairs.set(x, (row = new Map()))
      row.set(y, (row.get(y) ?? 0) + 1)
    }
  }

  addSale(storeId: string, atMs: number, sku: string, qty: number): void {
    const day = dayNumber(atMs)
    const key = `${storeId}\u0000${sku}\u0000${dayKeyOf(day)}`
    this.sales.set(key, (this.sales.get(key) ?? 0) + qty)
    const trendKey = `${storeId}\u0000${sku}`
    this.trend.set(trendKey, (this.trend.get(trendKey) ?? 0) + trendWeight(day, qty))
  }

  write(db: WritableDB): void {
    const ids = itemIds(db, new Set([...this.buyers.keys(), ...this.pairs.keys()]))
    const buyers = prepared(
      db,
      `INSERT INTO item_buyers (item, buyers, repeaters, gap_days, gaps) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (item) DO UPDATE SET buyers = buyers + excluded.buyers, repeaters = repeaters + excluded.repeaters,
         gap_days = gap_days + excluded.gap_days, gaps = gaps + excluded.gaps`,
    )
    for (const [sku, b] of this.buyers) buyers.run(ids.get(sku)!, b.buyers, b.repeaters, b.gapDays, b.gaps)
    const pairs = prepared(db, 'INSERT INTO item_pairs (a, b, together) VALUES (?, ?, ?) ON CONFLICT (a, b) DO UPDATE SET together = together + excluded.together')
    const rows: [number, number, number][] = []
    for (const [a, row] of this.pairs) for (const [b, n] of row) rows.push([ids.get(a)!, ids.get(b)!, n])
    // In key order, so that neighbouring writes share pages.
    rows.sort((x, y) => x[0] - y[0] || x[1] - y[1])
    for (const [a, b, n] of rows) pairs.run(a, b, n)
    const sales = prepared(db, 'INSERT INTO item_sales (store_id, sku, day, qty) VALUES (?, ?, ?, ?) ON CONFLICT (store_id, sku, day) DO UPDATE SET qty = qty + excluded.qty')
    for (const [key, qty] of this.sales) {
      const [storeId, sku, day] = key.split('\u0000') as [string, string, string]
      sales.run(storeId, sku, day, qty)
    }
    const trend = prepared(db, 'INSERT INTO item_trend (store_id, sku, weight) VALUES (?, ?, ?) ON CONFLICT (store_id, sku) DO UPDATE SET weight = weight + excluded.weight')
    for (const [key, weight] of this.trend) {
      const [storeId, sku] = key.split('\u0000') as [string, string]
      trend.run(storeId, sku, weight)
    }
    if (this.purchases > 0) bumpVersion(db)
  }
}

/** The item number of each sku, numbering those new to the table. */
function itemIds(db: WritableDB, skus: Set<string>): Map<string, number> {
  const list = JSON.stringify([...skus])
  prepared(db, 'INSERT OR IGNORE INTO items (sku) SELECT value FROM json_each(?) WHERE true').run(list)
  const rows = prepared<[string], { id: number; sku: string }>(db, 'SELECT id, sku FROM items WHERE sku IN (SELECT value FROM json_each(?))').all(list)
  return new Map(rows.map((r) => [r.sku, r.id]))
}

type Purchase = { id: string; memberId: string; sku: string; atMs: number; qty: number; storeId: string }

function purchaseOf(event: ProfileEvent): Purchase | null {
  if (event.type !== 'purchase' || !event.sku) return null
  const atMs = Date.parse(event.at)
  if (Number.isNaN(atMs)) return null
  return {
    id: event.id,
    memberId: event.memberId,
    sku: event.sku,
    atMs,
    qty: Math.max(1, event.qty ?? 1),
    storeId: event.channel === 'store' && event.storeId ? event.storeId : '',
  }
}

/** Counts one member's new purchases against those already counted (`counted`). */
function countMember(counted: Iterable<{ sku: string; atMs: number }>, fresh: Purchase[], into: Increments): void {
  const basket = new MemberBasket(counted)
  fresh.sort((a, b) => a.atMs - b.atMs || (a.id < b.id ? -1 : 1))
  for (const p of fresh) {
    const { newBuyer, newRepeater, gapMs, partners } = basket.add(p.sku, p.atMs)
    if (newBuyer || gapMs !== null) {
      let b = into.buyers.get(p.sku)
      if (!b) into.buyers.set(p.sku, (b = { buyers: 0, repeaters: 0, gapDays: 0, gaps: 0 }))
      if (newBuyer) b.buyers++
      if (newRepeater) b.repeaters++
      if (gapMs !== null) {
        b.gapDays += gapMs / 86_400_000
        b.gaps++
      }
    }
    for (const other of partners) into.addPair(p.sku, other)
    into.addSale(p.storeId, p.atMs, p.sku, p.qty)
    into.purchases++
  }
}

/**
 * Counts the purchases among `events` that were never counted. Call it inside the transaction
 * that stored them in `events` (after the upserts; other types and repeats are ignored, so a
 * whole page's events may be passed). Answers how many purchases it counted.
 */
export function onEventsApplied(db: WritableDB, events: readonly ProfileEvent[]): number {
  const candidates = new Map<string, Purchase>()
  for (const event of events) {
    const p = purchaseOf(event)
    if (p && !candidates.has(p.id)) candidates.set(p.id, p)
  }
  if (candidates.size === 0) return 0
  // One statement per page, not per event: the ids it answers are the ones never counted before.
  const claimed = prepared<[string], { event_id: string }>(
    db,
    'INSERT OR IGNORE INTO purchases_counted (event_id) SELECT value FROM json_each(?) WHERE true RETURNING event_id',
  ).all(JSON.stringify([...candidates.keys()]))
  const byMember = new Map<string, Purchase[]>()
  for (const { event_id } of claimed) {
    const p = candidates.get(event_id)!
    const list = byMember.get(p.memberId)
    if (list) list.push(p)
    else byMember.set(p.memberId, [p])
  }
  if (byMember.size === 0) return 0
  const into = new Increments()
  const counted = new Map<string, { sku: string; atMs: number }[]>()
  const history = prepared<[string], { member_id: string; id: string; sku: string; at: string }>(
    db,
    `SELECT member_id, id, sku, at FROM events
      WHERE member_id IN (SELECT value FROM json_each(?)) AND type = 'purchase' AND sku IS NOT NULL`,
  )
  const fresh = new Set(claimed.map((c) => c.event_id))
  for (const row of history.all(JSON.stringify([...byMember.keys()]))) {
    if (fresh.has(row.id)) continue
    const list = counted.get(row.member_id)
    const purchase = { sku: row.sku, atMs: Date.parse(row.at) }
    if (list) list.push(purchase)
    else counted.set(row.member_id, [purchase])
  }
  for (const [memberId, purchases] of byMember) countMember(counted.get(memberId) ?? [], purchases, into)
  into.write(db)
  return into.purchases
}

type PurchaseRow = { id: string; member_id: string; sku: string; at: string; qty: number | null; channel: string; store_id: string | null }

/**
 * Empties and recounts the derived tables from the purchases in the cache (a migration on a
 * cache synced before them; a benchmark's bulk-loaded cache). Run inside a transaction.
 */
export function rebuildSuggestData(db: WritableDB, batchRows = 200_000): number {
  for (const table of ['items', 'item_buyers', 'item_pairs', 'item_sales', 'item_trend', 'purchases_counted']) db.exec(`DELETE FROM ${table}`)
  const read = prepared<[string, number], PurchaseRow>(
    db,
    `SELECT id, member_id, sku, at, qty, channel, store_id FROM events
      WHERE type = 'purchase' AND sku IS NOT NULL AND member_id > ?
      ORDER BY member_id, at LIMIT ?`,
  )
  const readAll = prepared<[string], PurchaseRow>(
    db,
    `SELECT id, member_id, sku, at, qty, channel, store_id FROM events WHERE type = 'purchase' AND sku IS NOT NULL AND member_id = ? ORDER BY at`,
  )
  const claim = prepared<[string]>(db, 'INSERT OR IGNORE INTO purchases_counted (event_id) VALUES (?)')
  let after = ''
  let total = 0
  for (;;) {
    const rows = read.all(after, batchRows)
    if (rows.length === 0) break
    // A full batch may end inside a member: leave that member to the next batch, or read all of
    // them when they alone fill it.
    const lastMember = rows[rows.length - 1]!.member_id
    const whole =
      rows.length < batchRows ? rows : rows[0]!.member_id !== lastMember ? rows.filter((r) => r.member_id !== lastMember) : readAll.all(lastMember)
    const into = new Increments()
    let member: string | null = null
    let fresh: Purchase[] = []
    const flush = (): void => {
      if (fresh.length > 0) countMember([], fresh, into)
      fresh = []
    }
    for (const row of whole) {
      if (row.member_id !== member) {
        flush()
        member = row.member_id
      }
      if (claim.run(row.id).changes === 0) continue
      const atMs = Date.parse(row.at)
      if (Number.isNaN(atMs)) continue
      fresh.push({ id: row.id, memberId: row.member_id, sku: row.sku, atMs, qty: Math.max(1, row.qty ?? 1), storeId: row.channel === 'store' && row.store_id ? row.store_id : '' })
    }
    flush()
    into.write(db)
    total += into.purchases
    after = whole[whole.length - 1]!.member_id
    if (rows.length < batchRows) break
  }
  bumpVersion(db)
  return total
}

const versions = new WeakMap<ReadableDB, number>()

/** Changes whenever this process counts purchases: cached lists built on these tables check it. */
export function derivedVersion(db: ReadableDB): number {
  return versions.get(db) ?? 0
}

function bumpVersion(db: ReadableDB): void {
  versions.set(db, derivedVersion(db) + 1)
}
