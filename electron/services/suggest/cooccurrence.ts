// Keeps the derived purchase tables (items, item_buyers, item_pairs, item_sales, item_trend) up
// to date inside the transaction that applies the purchases, so they always match the cache
// they come from.
//
// A purchase counts when it is new to the cache: storing it answers that (upsertEvent), so a page
// delivered twice, or the feed bringing back a sale this register recorded itself, adds nothing.
// Deleting an event does not uncount it: the counts are what the cache has seen, emptied and
// rebuilt with the cache. (An event that left the cache, by retention or a deleted customer, and
// comes back is counted again: a small drift in aggregates, far cheaper than a ledger of every
// purchase id.)
//
// Counting follows pairs.ts: per member, with the member's purchases already in the cache.
// Purchases of members without personalization consent count too: these tables are aggregates
// over everyone and never suggest anything to a customer from their own history.
import type { ProfileEvent } from '../../../shared/records.ts'
import { prepared, withoutIndexes, type ReadableDB, type WritableDB } from '../db/handle.ts'
import { PairTally } from './pair-tally.ts'
import { MemberBasket } from './pairs.ts'
import { dayKeyOf, dayNumber, trendWeight } from './popularity.ts'

const DAY_MS = 86_400_000

/**
 * "Selling now" needs only recent sales: item_sales answers "sold here this week", and a sale
 * half a year old weighs 0.3 % of one today in item_trend. Sales older than these, measured from
 * the latest purchase the cache has seen, are left out of those two tables (a first sync brings
 * years of history). Reads filter by date themselves, so this only keeps the tables small.
 */
const SALES_DAYS = 8
const TREND_DAYS = 180

/**
 * Pair increments wait in item_pairs_new and are merged into item_pairs in key order once
 * MERGE_ROWS have piled up: during a first sync, updating millions of pairs in place page by page
 * rewrites the same tree pages again and again. A call with few purchases (a delta of the feed, a
 * sale, a page with none) merges what waits at once, so suggestions see it right away, and so
 * does the end of a sync (settleStagedPairs). (1M rows between merges was tried: the 10M sync
 * took as long, within this VM's noise, and peaked 43 MB higher.)
 */
const MERGE_ROWS = 200_000
const FEW_PURCHASES = 100

/** The latest purchase day counted per connection, read once from item_sales. */
const latestDays = new WeakMap<ReadableDB, number>()

function latestDay(db: ReadableDB, seen: number): number {
  let latest = latestDays.get(db)
  if (latest === undefined) {
    const row = prepared<[], { day: string | null }>(db, 'SELECT max(day) AS day FROM item_sales').get()
    latest = row?.day ? dayNumber(Date.parse(`${row.day}T00:00:00Z`)) : -Infinity
  }
  latest = Math.max(latest, seen)
  latestDays.set(db, latest)
  return latest
}

/** The item number of each sku, numbering those new to the table. */
function itemIds(db: WritableDB, skus: Set<string>): Map<string, number> {
  const list = JSON.stringify([...skus])
  prepared(db, 'INSERT OR IGNORE INTO items (sku) SELECT value FROM json_each(?)').run(list)
  const rows = prepared<[string], { id: number; sku: string }>(db, 'SELECT id, sku FROM items WHERE sku IN (SELECT value FROM json_each(?))').all(list)
  return new Map(rows.map((r) => [r.sku, r.id]))
}

/** Rows per statement of insertPairs. */
const PAIRS_PER_INSERT = 200

/**
 * Writes (a, b, n) rows with `insert` (an INSERT ending in `VALUES`, without the tuples),
 * PAIRS_PER_INSERT rows to a statement: each statement run costs about a microsecond besides its
 * rows, most of the time for millions of three-number rows.
 */
function insertPairs(db: WritableDB, insert: string, rows: Iterable<readonly [number, number, number]>): void {
  const many = prepared(db, `${insert} ${Array(PAIRS_PER_INSERT).fill('(?, ?, ?)').join(', ')}`)
  const values: number[] = new Array(3 * PAIRS_PER_INSERT)
  let held = 0
  for (const [a, b, n] of rows) {
    values[3 * held] = a
    values[3 * held + 1] = b
    values[3 * held + 2] = n
    if (++held === PAIRS_PER_INSERT) {
      many.run(values)
      held = 0
    }
  }
  const one = prepared(db, `${insert} (?, ?, ?)`)
  for (let i = 0; i < held; i++) one.run(values[3 * i], values[3 * i + 1], values[3 * i + 2])
}

/** Moves the staged pair increments into item_pairs, in key order. */
export function mergeStagedPairs(db: WritableDB): void {
  prepared(
    db,
    `INSERT INTO item_pairs (a, b, together)
     SELECT a, b, sum(n) FROM item_pairs_new WHERE true GROUP BY a, b ORDER BY a, b
     ON CONFLICT (a, b) DO UPDATE SET together = together + excluded.together`,
  ).run()
  prepared(db, 'DELETE FROM item_pairs_new').run()
}

/** Merges the staged pairs when enough have piled up, or after a call with few purchases. */
function mergeWhenDue(db: WritableDB, purchases: number): void {
  // Rowids start over once the table is emptied: the largest is how many wait.
  const staged = prepared<[], { n: number | null }>(db, 'SELECT max(rowid) AS n FROM item_pairs_new').get()?.n ?? 0
  if (staged > 0 && (purchases < FEW_PURCHASES || staged >= MERGE_ROWS)) mergeStagedPairs(db)
}

/** Merges whatever waits: the feed is caught up, suggestions should see every purchase. */
export function settleStagedPairs(db: WritableDB): void {
  mergeWhenDue(db, 0)
}

/** What purchases add, gathered per call and written once per key. */
class Increments {
  readonly buyers = new Map<string, { buyers: number; repeaters: number; gapDays: number; gaps: number }>()
  readonly pairs = new Map<string, Map<string, number>>()
  readonly sales = new Map<string, number>()
  readonly trend = new Map<string, number>()
  purchases = 0
  /** Where pairs go instead of `pairs` (a rebuild counts them in a PairTally). */
  private readonly pairSink: ((a: string, b: string) => void) | undefined

  constructor(pairSink?: (a: string, b: string) => void) {
    this.pairSink = pairSink
  }

  addPair(a: string, b: string): void {
    if (this.pairSink) return this.pairSink(a, b)
    for (const [x, y] of [
      [a, b],
      [b, a],
    ] as const) {
      let row = this.pairs.get(x)
      if (!row) this.pairs.set(x, (row = new Map()))
      row.set(y, (row.get(y) ?? 0) + 1)
    }
  }

  /** A sale on `day` when the latest purchase seen is on `latest` (online sales: `storeId` ''). */
  addSale(storeId: string, day: number, latest: number, sku: string, qty: number): void {
    if (storeId !== '' && day > latest - SALES_DAYS) {
      const key = `${storeId}\u0000${sku}\u0000${dayKeyOf(day)}`
      this.sales.set(key, (this.sales.get(key) ?? 0) + qty)
    }
    if (day > latest - TREND_DAYS) {
      const trendKey = `${storeId}\u0000${sku}`
      this.trend.set(trendKey, (this.trend.get(trendKey) ?? 0) + trendWeight(day, qty))
    }
  }

  /** Adds to the tables; `merge` false leaves the pairs staged (a rebuild merges them once at the end). */
  write(db: WritableDB, merge = true): void {
    const ids = itemIds(db, new Set([...this.buyers.keys(), ...this.pairs.keys()]))
    const buyers = prepared(
      db,
      `INSERT INTO item_buyers (item, buyers, repeaters, gap_days, gaps) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (item) DO UPDATE SET buyers = buyers + excluded.buyers, repeaters = repeaters + excluded.repeaters,
         gap_days = gap_days + excluded.gap_days, gaps = gaps + excluded.gaps`,
    )
    for (const [sku, b] of this.buyers) buyers.run(ids.get(sku)!, b.buyers, b.repeaters, b.gapDays, b.gaps)
    const rows: [number, number, number][] = []
    for (const [a, row] of this.pairs) for (const [b, n] of row) rows.push([ids.get(a)!, ids.get(b)!, n])
    rows.sort((x, y) => x[0] - y[0] || x[1] - y[1])
    insertPairs(db, 'INSERT INTO item_pairs_new (a, b, n) VALUES', rows)
    if (merge) mergeWhenDue(db, this.purchases)
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
function countMember(counted: Iterable<{ sku: string; atMs: number }>, fresh: Purchase[], latest: number, into: Increments): void {
  const basket = new MemberBasket(counted)
  fresh.sort((a, b) => a.atMs - b.atMs || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  for (const p of fresh) {
    const { newBuyer, newRepeater, gapMs, partners } = basket.add(p.sku, p.atMs)
    if (newBuyer || gapMs !== null) {
      let b = into.buyers.get(p.sku)
      if (!b) into.buyers.set(p.sku, (b = { buyers: 0, repeaters: 0, gapDays: 0, gaps: 0 }))
      if (newBuyer) b.buyers++
      if (newRepeater) b.repeaters++
      if (gapMs !== null) {
        b.gapDays += gapMs / DAY_MS
        b.gaps++
      }
    }
    for (const other of partners) into.addPair(p.sku, other)
    into.addSale(p.storeId, dayNumber(p.atMs), latest, p.sku, p.qty)
    into.purchases++
  }
}

/**
 * Counts purchases that are new to the cache (as upsertEvent answered), inside the transaction
 * that stored them (after storing them). Events of other types are ignored, and an id given twice counts
 * once. Answers how many purchases it counted.
 */
export function onEventsApplied(db: WritableDB, fresh: readonly ProfileEvent[]): number {
  const byId = new Map<string, Purchase>()
  for (const event of fresh) {
    const p = purchaseOf(event)
    if (p && !byId.has(p.id)) byId.set(p.id, p)
  }
  if (byId.size === 0) {
    // A page without purchases (the end of a first sync, often) still lets staged pairs in.
    mergeWhenDue(db, 0)
    return 0
  }
  const byMember = new Map<string, Purchase[]>()
  let newest = -Infinity
  for (const p of byId.values()) {
    const list = byMember.get(p.memberId)
    if (list) list.push(p)
    else byMember.set(p.memberId, [p])
    newest = Math.max(newest, p.atMs)
  }
  // The members' purchases counted before: all of theirs in the cache but these.
  const counted = new Map<string, { sku: string; atMs: number }[]>()
  const history = prepared<[string], { member_id: string; id: string; sku: string; at: string }>(
    db,
    `SELECT member_id, id, sku, at FROM events
      WHERE member_id IN (SELECT value FROM json_each(?)) AND type = 'purchase' AND sku IS NOT NULL`,
  )
  for (const row of history.all(JSON.stringify([...byMember.keys()]))) {
    if (byId.has(row.id)) continue
    const list = counted.get(row.member_id)
    const purchase = { sku: row.sku, atMs: Date.parse(row.at) }
    if (list) list.push(purchase)
    else counted.set(row.member_id, [purchase])
  }
  const latest = latestDay(db, dayNumber(newest))
  const into = new Increments()
  for (const [memberId, purchases] of byMember) countMember(counted.get(memberId) ?? [], purchases, latest, into)
  into.write(db)
  return into.purchases
}

/** The purchases of the members after one, in member order (covered by events_member_purchases, migrations 0110 and 0140). */
export const RECOUNT_READ_SQL = `SELECT id, member_id, sku, at, qty, channel, store_id FROM events
  WHERE type = 'purchase' AND sku IS NOT NULL AND member_id > ?
  ORDER BY member_id, at LIMIT ?`

type PurchaseRow = { id: string; member_id: string; sku: string; at: string; qty: number | null; channel: string; store_id: string | null }

export type RebuildOptions = {
  /** Purchases read per query (small batches keep V8's heap small). */
  batchRows?: number
  /**
   * Different pairs (without direction) counted in memory before they are staged in
   * item_pairs_new: 12 bytes each, 24 MB for the 2M of the default. A first sync of 1M members
   * has 1.4M; past 1M (the default before) the overflow cost 9 of the rebuild's 20 s.
   */
  maxPairsInMemory?: number
}

/**
 * Empties and recounts the derived tables from the purchases in the cache (the end of a first
 * sync; a migration on a cache synced before them). Run inside a transaction. Members are read
 * `batchRows` purchases at a time (measured at 1M members / 2M purchases: +100 MB of heap with
 * 1,000, +400 MB with 200,000, and no faster). Buyers, sales and trend are keyed by item and
 * add up over the whole rebuild; pairs are counted in a PairTally without direction (half the
 * increments and memory) and written once, both ways and in key order, into an item_pairs
 * without its rank index (built after). Past `maxPairsInMemory` different
 * pairs, the tally goes to item_pairs_new and is merged from there at the end.
 */
export function rebuildSuggestData(db: WritableDB, options: RebuildOptions = {}): number {
  const batchRows = options.batchRows ?? 1_000
  const maxPairs = options.maxPairsInMemory ?? 2_000_000
  for (const table of ['items', 'item_buyers', 'item_pairs', 'item_pairs_new', 'item_sales', 'item_trend']) db.exec(`DELETE FROM ${table}`)
  const newest = prepared<[], { at: string | null }>(db, `SELECT max(at) AS at FROM events WHERE type = 'purchase' AND sku IS NOT NULL`).get()?.at
  latestDays.delete(db)
  const latest = latestDay(db, newest ? dayNumber(Date.parse(newest)) : -Infinity)
  const read = prepared<[string, number], PurchaseRow>(db, RECOUNT_READ_SQL)
  const readAll = prepared<[string], PurchaseRow>(
    db,
    `SELECT id, member_id, sku, at, qty, channel, store_id FROM events WHERE type = 'purchase' AND sku IS NOT NULL AND member_id = ? ORDER BY at`,
  )
  const ids = new Map<string, number>()
  const tally = new PairTally(maxPairs)
  let staged = false
  const stagePairs = (): void => {
    insertPairs(db, 'INSERT INTO item_pairs_new (a, b, n) VALUES', tally.drainBothWays())
    staged = true
  }
  const into = new Increments((a, b) => {
    const x = ids.get(a)!
    const y = ids.get(b)!
    tally.add(Math.min(x, y), Math.max(x, y))
  })
  let after = ''
  for (;;) {
    const rows = read.all(after, batchRows)
    if (rows.length === 0) break
    // A full batch may end inside a member: leave that member to the next batch, or read all of
    // them when they alone fill it.
    const lastMember = rows[rows.length - 1]!.member_id
    const whole =
      rows.length < batchRows ? rows : rows[0]!.member_id !== lastMember ? rows.filter((r) => r.member_id !== lastMember) : readAll.all(lastMember)
    const unnumbered = new Set<string>()
    for (const row of whole) if (!ids.has(row.sku)) unnumbered.add(row.sku)
    if (unnumbered.size > 0) for (const [sku, id] of itemIds(db, unnumbered)) ids.set(sku, id)
    let member: string | null = null
    let fresh: Purchase[] = []
    const flush = (): void => {
      if (fresh.length > 0) countMember([], fresh, latest, into)
      fresh = []
    }
    for (const row of whole) {
      if (row.member_id !== member) {
        flush()
        member = row.member_id
      }
      const atMs = Date.parse(row.at)
      if (Number.isNaN(atMs)) continue
      fresh.push({ id: row.id, memberId: row.member_id, sku: row.sku, atMs, qty: Math.max(1, row.qty ?? 1), storeId: row.channel === 'store' && row.store_id ? row.store_id : '' })
    }
    flush()
    if (tally.held > maxPairs) stagePairs()
    after = whole[whole.length - 1]!.member_id
    if (rows.length < batchRows) break
  }
  into.write(db, false)
  withoutIndexes(db, 'item_pairs', () => {
    if (staged) {
      stagePairs()
      mergeStagedPairs(db)
    } else {
      insertPairs(db, 'INSERT INTO item_pairs (a, b, together) VALUES', tally.drainBothWays())
    }
  })
  bumpVersion(db)
  return into.purchases
}

const versions = new WeakMap<ReadableDB, number>()

/** Changes whenever this process counts purchases: what is read from these tables is kept until then. */
export function derivedVersion(db: ReadableDB): number {
  return versions.get(db) ?? 0
}

function bumpVersion(db: ReadableDB): void {
  versions.set(db, derivedVersion(db) + 1)
}
