// The suggestion engine on a small hand-made store: each kind of reason from events written for
// it, the rules around them (owned, sizes, stock, dismissals, consent), and the derived tables
// kept exactly once through the real apply path.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { WritableDB } from '../../electron/services/db/handle.ts'
import Database from 'better-sqlite3'
import { migrations } from '../../electron/services/db/migrations/index.ts'
import { migrate, openDatabase } from '../../electron/services/db/open.ts'
import { resetCache } from '../../electron/services/db/sync-state.ts'
import { recordSale } from '../../electron/services/sales/record.ts'
import { applyPage } from '../../electron/services/sync/apply.ts'
import { adoptSource } from '../../electron/services/sync/sync-service.ts'
import { RECOUNT_READ_SQL, rebuildSuggestData } from '../../electron/services/suggest/cooccurrence.ts'
import { dismissSuggestion, undoDismissal } from '../../electron/services/suggest/dismissals.ts'
import { NEIGHBOURS_SQL } from '../../electron/services/suggest/db-source.ts'
import { storeBestsellers, suggestionsOf, type SuggestContext } from '../../electron/services/suggest/engine.ts'
import { rankForMember } from '../../electron/services/suggest/scoring.ts'
import type { SuggestSource } from '../../electron/services/suggest/types.ts'
import type { Product, ProfileEvent, RawChange } from '../../shared/records.ts'
import type { Suggestion } from '../../shared/suggestions.ts'
import { customer, product, upsert } from '../support/fixtures.ts'
import { sale } from '../support/sale.ts'

const NOW = new Date('2026-11-22T03:00:00.000Z')
const DAY_MS = 86_400_000
const daysAgo = (days: number): string => new Date(NOW.getTime() - days * DAY_MS).toISOString()

const sized = (sku: string, name: string, category: string[], size: string): Product =>
  product(sku, { name, category, attributes: { color: 'ネイビー', size }, barcodes: [] })
const plain = (sku: string, name: string, category: string[]): Product => product(sku, { name, category, barcodes: [] })

const products: Product[] = [
  sized('RS01-NVY-240', 'ランニングシューズ 24.0cm', ['スポーツ', 'ランニングシューズ'], '24.0'),
  sized('RS01-NVY-265', 'ランニングシューズ 26.5cm', ['スポーツ', 'ランニングシューズ'], '26.5'),
  plain('SX01-BLK', 'ランニングソックス', ['スポーツ', 'アクセサリー']),
  plain('TEA01', 'ほうじ茶', ['食品', 'お茶']),
  sized('TP01-NVY-S', 'Tシャツ S', ['衣料', 'トップス'], 'S'),
  sized('TP01-NVY-M', 'Tシャツ M', ['衣料', 'トップス'], 'M'),
  sized('TP01-NVY-L', 'Tシャツ L', ['衣料', 'トップス'], 'L'),
  plain('BAG01', 'トートバッグ', ['バッグ', 'トート']),
  plain('BAG02', 'ショルダーバッグ', ['バッグ', 'ショルダー']),
  plain('CAP01', 'キャップ', ['衣料', '帽子']),
  plain('KT01', '雪平鍋', ['キッチン', '調理道具']),
  plain('KT02', '木べら', ['キッチン', '調理道具']),
  plain('KT03', 'ケトル', ['キッチン', '調理道具']),
  plain('BEST01', 'バスタオル', ['生活雑貨', 'タオル']),
  plain('OOS01', 'レザートート', ['バッグ', 'トート']),
]
const stockOf = (sku: string): number => (sku === 'OOS01' ? 0 : sku === 'TP01-NVY-M' ? 3 : 5)

let seq = 0
function ev(memberId: string, type: ProfileEvent['type'], sku: string, at: string, extra: Partial<ProfileEvent> = {}): ProfileEvent {
  return { id: `t${++seq}`, memberId, type, channel: 'web', sku, at, ...extra }
}
/** One order (ids `${orderId}:${i}`), in store S001 unless `online`. */
function order(memberId: string, orderId: string, skus: string[], at: string, online = false): ProfileEvent[] {
  return skus.map((sku, i) => ({
    id: `${orderId}:${i}`,
    memberId,
    type: 'purchase' as const,
    channel: online ? ('web' as const) : ('store' as const),
    sku,
    qty: 1,
    price: 1000,
    orderId,
    ...(online ? {} : { storeId: 'S001' }),
    at,
  }))
}
const changes = (events: ProfileEvent[]): RawChange[] => events.map((e) => upsert('event', e.id, e))

function catalogPage(): RawChange[] {
  const members = ['M1', 'M2', 'M3', 'M4', 'M5', 'M6', 'M7', 'M8', 'M9']
  return [
    upsert('store', 'S001', { storeId: 'S001', name: 'Musubi 渋谷店' }),
    ...products.map((p) => upsert('product', p.sku, p)),
    ...products.map((p) => upsert('inventory', `S001:${p.sku}`, { id: `S001:${p.sku}`, storeId: 'S001', sku: p.sku, onHand: stockOf(p.sku) })),
    ...members.map((m) => upsert('customer', m, customer(m, { sizes: { shoes: '26.5', tops: 'M' } }))),
    upsert('customer', 'MX', customer('MX', { consent: { personalization: false } })),
  ]
}

/** What everyone else did: shoes with socks, tea every 60 days, what sells in the store this week. */
function othersEvents(): ProfileEvent[] {
  return [
    ...['M2', 'M3', 'M4'].flatMap((m, i) => order(m, `o-shoes-${m}`, ['RS01-NVY-265', 'SX01-BLK'], daysAgo(40 + i * 10), true)),
    ...['M5', 'M6'].flatMap((m) => order(m, `o-shoes-${m}`, ['RS01-NVY-240', 'SX01-BLK'], daysAgo(70), true)),
    ...['M2', 'M3', 'M4', 'M5', 'M6'].flatMap((m) => [...order(m, `o-tea1-${m}`, ['TEA01'], daysAgo(150), true), ...order(m, `o-tea2-${m}`, ['TEA01'], daysAgo(90), true)]),
    ...['M2', 'M3', 'M4', 'M5', 'M6', 'M7'].flatMap((m, i) => order(m, `o-best-${m}`, ['BEST01'], daysAgo(1 + (i % 4)))),
    ...order('M7', 'o-best2-M7', ['BEST01'], daysAgo(5)),
    ...order('M2', 'o-kt1', ['KT01'], daysAgo(3)),
    ...order('M3', 'o-kt1b', ['KT01'], daysAgo(4)),
    ...order('M4', 'o-kt2', ['KT02'], daysAgo(10)),
    ...order('M8', 'o-kt3', ['KT03'], daysAgo(20)),
  ]
}

/** M1: bought the running shoes a month ago, tea every 60 days, a cap once; browsing this week. */
function m1Events(): ProfileEvent[] {
  return [
    ...order('M1', 'o-m1-shoes', ['RS01-NVY-265'], daysAgo(30), true),
    ...order('M1', 'o-m1-tea1', ['TEA01'], daysAgo(118)),
    ...order('M1', 'o-m1-tea2', ['TEA01'], daysAgo(58)),
    ...order('M1', 'o-m1-cap', ['CAP01'], daysAgo(10)),
    ev('M1', 'view', 'CAP01', daysAgo(1)),
    ev('M1', 'view', 'BAG01', daysAgo(6)),
    ev('M1', 'view', 'BAG01', daysAgo(4)),
    ev('M1', 'view', 'BAG01', daysAgo(2)),
    ev('M1', 'view', 'BAG02', daysAgo(2)),
    ev('M1', 'cart', 'BAG02', daysAgo(2)),
    ev('M1', 'view', 'TP01-NVY-L', daysAgo(1)),
    ev('M1', 'view', 'OOS01', daysAgo(3)),
    ev('M1', 'view', 'OOS01', daysAgo(3)),
  ]
}

let db: WritableDB
const context = (overrides: Partial<SuggestContext> = {}): SuggestContext => ({ db, storeId: 'S001', now: () => NOW, limit: 20, ...overrides })
const bySku = (list: Suggestion[], sku: string): Suggestion | undefined => list.find((s) => s.sku === sku)

beforeEach(() => {
  db = openDatabase(':memory:')
  adoptSource(db, 'test')
  applyPage(db, catalogPage(), 'c0', 1)
  applyPage(db, changes(othersEvents()), 'c1', 1)
  applyPage(db, changes(m1Events()), 'c2', 1)
})
afterEach(() => db.close())

describe('suggestFor: reasons', () => {
  it('viewed online: the views, over how many days, and the stock here', () => {
    const s = bySku(suggestionsOf(context(), 'M1').suggestions, 'BAG01')
    expect(s).toMatchObject({ name: 'トートバッグ', priceYen: 1490, onHandHere: 5, orderOnline: false, reason: { kind: 'viewed_online', facts: { views: 3, days: 6 } } })
  })

  it('carted online and not bought', () => {
    expect(bySku(suggestionsOf(context(), 'M1').suggestions, 'BAG02')?.reason).toMatchObject({ kind: 'carted_online', facts: { carts: 1, views: 1, days: 2 } })
  })

  it('bought together: the socks the buyers of the same shoes took, with the shoes named', () => {
    expect(bySku(suggestionsOf(context(), 'M1').suggestions, 'SX01-BLK')?.reason).toEqual({
      kind: 'bought_together',
      facts: { boughtSku: 'RS01-NVY-265', boughtName: 'ランニングシューズ 26.5cm', boughtAt: daysAgo(30).slice(0, 10) },
    })
  })

  it('replenishment: bought every 60 days, last time 58 days ago', () => {
    expect(bySku(suggestionsOf(context(), 'M1').suggestions, 'TEA01')?.reason).toEqual({
      kind: 'replenish',
      facts: { cycleDays: 60, daysSince: 58, times: 2, cycleOf: 'customer' },
    })
  })

  it('category affinity: what sells in the category the customer keeps coming back to', () => {
    const list = suggestionsOf(context(), 'M8').suggestions
    const kitchen = list.filter((s) => s.reason.kind === 'category_affinity')
    expect(kitchen.map((s) => s.sku)).toEqual(expect.arrayContaining(['KT01', 'KT02']))
    expect(kitchen[0]!.reason.facts).toEqual({ category: '調理道具' })
    expect(bySku(list, 'KT03')).toBeUndefined()
  })

  it('store bestseller: a customer without history gets what sells here, with units this week', () => {
    const { personalized, suggestions } = suggestionsOf(context(), 'M9')
    expect(personalized).toBe(true)
    expect(suggestions[0]).toMatchObject({ sku: 'BEST01', reason: { kind: 'store_bestseller', facts: { soldHereThisWeek: 7 } } })
    expect(suggestions.every((s) => s.reason.kind === 'store_bestseller')).toBe(true)
  })

  it('ranks what the customer is after above what merely sells', () => {
    const kinds = suggestionsOf(context({ limit: 5 }), 'M1').suggestions.map((s) => s.reason.kind)
    expect(kinds).not.toContain('store_bestseller')
    expect(kinds).toContain('carted_online')
  })
})

describe('suggestFor: rules', () => {
  it('does not suggest again what the customer bought once, even when they viewed it since', () => {
    const list = suggestionsOf(context(), 'M1').suggestions
    expect(bySku(list, 'CAP01')).toBeUndefined()
    expect(bySku(list, 'RS01-NVY-265')).toBeUndefined()
  })

  it('does not suggest the same product in another size of something bought once', () => {
    // M5 bought the shoes in 24.0; they are not suggested again in 26.5 (nor in 24.0).
    applyPage(db, [upsert('customer', 'M5', customer('M5', { sizes: { shoes: '26.5' } }))], 'c3', 1)
    const list = suggestionsOf(context(), 'M5').suggestions
    expect(list.filter((s) => s.sku.startsWith('RS01'))).toEqual([])
  })

  it('suggests again a product bought once when its buyers keep buying it (tea), on their cycle', () => {
    applyPage(db, changes(order('M7', 'o-m7-tea', ['TEA01'], daysAgo(55))), 'c3', 1)
    expect(bySku(suggestionsOf(context(), 'M7').suggestions, 'TEA01')?.reason).toEqual({
      kind: 'replenish',
      facts: { cycleDays: 60, daysSince: 55, times: 1, cycleOf: 'everyone' },
    })
  })

  it('does not call a product bought twice "due" when its buyers do not buy it again (a bag, not tea)', () => {
    applyPage(db, changes([...order('M6', 'o-m6-bag-1', ['BAG02'], daysAgo(400)), ...order('M6', 'o-m6-bag-2', ['BAG02'], daysAgo(200))]), 'c3', 1)
    expect(bySku(suggestionsOf(context(), 'M6').suggestions, 'BAG02')).toBeUndefined()
  })

  it('suggests a sized product in the customer size, with the stock of that size', () => {
    const list = suggestionsOf(context(), 'M1').suggestions
    expect(bySku(list, 'TP01-NVY-L')).toBeUndefined()
    expect(bySku(list, 'TP01-NVY-M')).toMatchObject({ name: 'Tシャツ M', onHandHere: 3, reason: { kind: 'viewed_online', facts: { views: 1, size: 'M' } } })
  })

  it('offers out-of-stock products only to order online', () => {
    expect(bySku(suggestionsOf(context(), 'M1').suggestions, 'OOS01')).toMatchObject({ onHandHere: 0, orderOnline: true, reason: { kind: 'viewed_online' } })
    // A store with no stock record at all: everything is to order online.
    expect(suggestionsOf(context({ storeId: 'S999' }), 'M1').suggestions.every((s) => s.orderOnline && s.onHandHere === null)).toBe(true)
  })

  it('hides a dismissed product from that customer for 30 days, in every size', () => {
    dismissSuggestion(db, 'M1', 'BAG01', NOW)
    dismissSuggestion(db, 'M1', 'TP01-NVY-L', NOW)
    const hidden = suggestionsOf(context(), 'M1').suggestions
    expect(bySku(hidden, 'BAG01')).toBeUndefined()
    expect(hidden.filter((s) => s.sku.startsWith('TP01'))).toEqual([])
    expect(bySku(suggestionsOf(context(), 'M2').suggestions, 'BAG01')).toBeUndefined() // never about M2 anyway
    const later = new Date(NOW.getTime() + 31 * DAY_MS)
    expect(bySku(suggestionsOf(context({ now: () => later }), 'M1').suggestions, 'BAG01')).toBeDefined()
    undoDismissal(db, 'M1', 'TP01-NVY-L')
    expect(bySku(suggestionsOf(context(), 'M1').suggestions, 'TP01-NVY-M')).toBeDefined()
  })

  it('gives a customer without personalization consent only what sells here, and says so', () => {
    applyPage(db, changes([ev('MX', 'view', 'BAG01', daysAgo(1)), ...order('MX', 'o-mx', ['RS01-NVY-265'], daysAgo(20))]), 'c3', 1)
    const { personalized, suggestions } = suggestionsOf(context(), 'MX')
    expect(personalized).toBe(false)
    expect(suggestions.length).toBeGreaterThan(0)
    expect(suggestions.every((s) => s.reason.kind === 'store_bestseller')).toBe(true)
    expect(suggestions.map((s) => s.sku)).toEqual(storeBestsellers(context()).map((s) => s.sku))
  })

  it('treats a member the cache does not hold as without consent', () => {
    expect(suggestionsOf(context(), 'M404').personalized).toBe(false)
  })

  it('answers at most `limit`, one size per product', () => {
    const list = suggestionsOf(context({ limit: 3 }), 'M1').suggestions
    expect(list).toHaveLength(3)
    const all = suggestionsOf(context(), 'M1').suggestions
    expect(all.filter((s) => s.sku.startsWith('TP01'))).toHaveLength(1)
    expect(new Set(all.map((s) => s.sku)).size).toBe(all.length)
  })
})

describe('derived data', () => {
  const snapshot = (from: WritableDB = db): unknown => ({
    buyers: from.prepare('SELECT i.sku, b.buyers, b.repeaters, b.gap_days, b.gaps FROM item_buyers AS b JOIN items AS i ON i.id = b.item ORDER BY i.sku').all(),
    pairs: from
      .prepare('SELECT x.sku AS a, y.sku AS b, p.together FROM item_pairs AS p JOIN items AS x ON x.id = p.a JOIN items AS y ON y.id = p.b ORDER BY x.sku, y.sku')
      .all(),
    sales: from.prepare('SELECT * FROM item_sales ORDER BY store_id, sku, day').all(),
    trend: from.prepare(`SELECT store_id, sku, printf('%.9e', weight) AS weight FROM item_trend ORDER BY store_id, sku`).all(),
  })
  const together = (a: string, b: string): unknown =>
    db.prepare('SELECT p.together FROM item_pairs AS p JOIN items AS x ON x.id = p.a JOIN items AS y ON y.id = p.b WHERE x.sku = ? AND y.sku = ?').get(a, b)

  it('counts a page delivered twice once', () => {
    const before = snapshot()
    applyPage(db, changes(othersEvents()), 'c1', 1)
    applyPage(db, changes([...m1Events(), ...m1Events()]), 'c2', 1)
    expect(snapshot()).toEqual(before)
    expect(together('RS01-NVY-265', 'SX01-BLK')).toEqual({ together: 3 })
    expect(together('SX01-BLK', 'RS01-NVY-265')).toEqual({ together: 3 })
    expect(db.prepare(`SELECT b.buyers, b.repeaters FROM item_buyers AS b JOIN items AS i ON i.id = b.item WHERE i.sku = 'TEA01'`).get()).toEqual({ buyers: 6, repeaters: 6 })
  })

  it('stages the pairs of a large page and merges them when the next small one comes', () => {
    // 400 baskets of 5 among 90 items: thousands of different pairs in one page.
    const basket = (i: number): string[] => [...new Set([0, 1, 2, 3, 4].map((k) => `X${(i * 7919 + k * ((i % 13) + 1) * 31 + k) % 90}`))]
    const big = Array.from({ length: 400 }, (_, i) => order(`B${i}`, `o-big-${i}`, [...basket(i), 'KT01', 'KT02'], daysAgo(2))).flat()
    applyPage(db, changes(big), 'c3', 1)
    const staged = (): number => (db.prepare('SELECT count(*) AS n FROM item_pairs_new').get() as { n: number }).n
    expect(staged()).toBeGreaterThan(0)
    applyPage(db, changes(order('M9', 'o-small', ['BAG01'], daysAgo(1))), 'c4', 1)
    expect(staged()).toBe(0)
    expect(together('KT01', 'KT02')).toEqual({ together: 400 })
    const incremental = snapshot()
    db.transaction(() => rebuildSuggestData(db)).immediate()
    expect(snapshot()).toEqual(incremental)
    // Small batches, and pairs staged in item_pairs_new whenever more than 50 are held.
    db.transaction(() => rebuildSuggestData(db, { batchRows: 40, maxPairsInMemory: 50 })).immediate()
    expect(snapshot()).toEqual(incremental)
    expect(staged()).toBe(0)
  })

  it('recounts an order with more items than a purchase pairs with as counting it page by page did', () => {
    // 14 items at the same time: each pairs with at most MAX_PARTNERS of the others, so the order
    // of purchases at one time (by event id) decides which, in the recount as page by page.
    const skus = Array.from({ length: 14 }, (_, i) => `WIDE${String(i).padStart(2, '0')}`)
    applyPage(db, changes(order('M8', 'o-wide', skus, daysAgo(3))), 'c3', 1)
    const incremental = snapshot()
    db.transaction(() => rebuildSuggestData(db)).immediate()
    expect(snapshot()).toEqual(incremental)
  })

  it('counts a sale recorded here once when the feed brings it back', () => {
    const local = sale({ memberId: 'M9', lines: [{ sku: 'KT01', qty: 2, unitPrice: 1000, discount: 0 }], at: daysAgo(1) })
    recordSale({ db, storeId: 'S001', deviceId: 'REG-01', connectorKey: 'test', now: () => NOW }, local)
    const sold = (): unknown => db.prepare(`SELECT sum(qty) AS qty FROM item_sales WHERE sku = 'KT01' AND store_id = 'S001'`).get()
    expect(sold()).toEqual({ qty: 4 })
    applyPage(db, changes([{ ...order('M9', local.saleId, ['KT01'], local.at)[0]!, qty: 2 }]), 'c3', 1)
    expect(sold()).toEqual({ qty: 4 })
    expect(storeBestsellers(context()).find((s) => s.sku === 'KT01')?.reason.facts).toEqual({ soldHereThisWeek: 4 })
  })

  it('keeps the same counts whatever order the purchases arrive in, as a rebuild finds them', () => {
    const incremental = snapshot()
    db.transaction(() => rebuildSuggestData(db)).immediate()
    expect(snapshot()).toEqual(incremental)
    // And the feed in reverse, page by page, into a fresh cache.
    const other = openDatabase(':memory:')
    adoptSource(other, 'test')
    applyPage(other, catalogPage(), 'c0', 1)
    for (const e of [...m1Events(), ...othersEvents()].reverse()) applyPage(other, changes([e]), null, 1)
    const again = snapshot(other) as { buyers: { sku: string; buyers: number; repeaters: number }[]; pairs: unknown[]; sales: unknown[]; trend: unknown[] }
    other.close()
    const want = incremental as typeof again
    // Buyers and pairs exactly. The gaps between purchases are measured to the nearest one already
    // counted, and which old sales item_sales keeps depends on the latest one seen so far: both
    // depend on the order (what the reads use of item_sales, this week's, does not).
    expect(again.buyers.map(({ sku, buyers, repeaters }) => ({ sku, buyers, repeaters }))).toEqual(want.buyers.map(({ sku, buyers, repeaters }) => ({ sku, buyers, repeaters })))
    expect(again.pairs).toEqual(want.pairs)
    const thisWeek = (rows: unknown[]): unknown[] => (rows as { day: string }[]).filter((r) => r.day >= daysAgo(6).slice(0, 10))
    expect(thisWeek(again.sales)).toEqual(thisWeek(want.sales))
    expect(again.trend).toEqual(want.trend)
  })

  it('is built by the migration from a cache synced before it', () => {
    const old = new Database(':memory:') as WritableDB
    for (const m of migrations.filter((m) => m.version < 40)) m.up(old)
    old.pragma('user_version = 30')
    const insert = old.prepare('INSERT INTO events (id, member_id, type, channel, sku, qty, order_id, store_id, at, sync_gen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1)')
    for (const e of othersEvents()) insert.run(e.id, e.memberId, e.type, e.channel, e.sku ?? null, e.qty ?? null, e.orderId ?? null, e.storeId ?? null, e.at)
    migrate(old)
    const built = snapshot(old)
    old.close()
    const fresh = openDatabase(':memory:')
    adoptSource(fresh, 'test')
    applyPage(fresh, changes(othersEvents()), 'c1', 1)
    expect(built).toEqual(snapshot(fresh))
    fresh.close()
  })

  it('recounts from the purchases index alone, without a look-up per purchase', () => {
    // The recount's read (rebuildSuggestData) as the planner runs it on the migrated schema.
    const plan = db.prepare(`EXPLAIN QUERY PLAN ${RECOUNT_READ_SQL}`).all('', 10) as { detail: string }[]
    expect(plan.map((p) => p.detail)).toEqual(['SEARCH events USING COVERING INDEX events_member_purchases (member_id>?)'])
  })

  it('is emptied with the cache; dismissals are local and stay', () => {
    dismissSuggestion(db, 'M1', 'BAG01', NOW)
    db.transaction(() => resetCache(db, 'other')).immediate()
    for (const table of ['items', 'item_buyers', 'item_pairs', 'item_pairs_new', 'item_sales', 'item_trend']) {
      expect((db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n, table).toBe(0)
    }
    expect(db.prepare('SELECT member_id, sku FROM suggestion_dismissals').all()).toEqual([{ member_id: 'M1', sku: 'BAG01' }])
  })

  it('reads a customer and an item partners on their indexes', () => {
    const plan = (sql: string): string => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all('x', 1) as { detail: string }[]).map((r) => r.detail).join('\n')
    expect(plan(`SELECT sku, at FROM events WHERE member_id = ? AND type = 'purchase' AND sku IS NOT NULL ORDER BY at DESC LIMIT ?`)).toContain('COVERING INDEX events_member_purchases')
    const partners = plan(NEIGHBOURS_SQL)
    expect(partners).toContain('item_pairs_rank')
    expect(partners).not.toContain('TEMP B-TREE')
  })
})

describe('scoring core', () => {
  const none: SuggestSource = {
    neighbours: () => ({ buyers: 0, items: [] }),
    bestsellers: () => [],
    bestsellersIn: () => [],
    categoriesOf: () => new Map(),
    repeatStatsOf: () => new Map(),
  }

  it('ranks a recent cart above an old view, and nothing without evidence', () => {
    const nowMs = NOW.getTime()
    const { ranked } = rankForMember(
      {
        history: [
          { type: 'view', sku: 'A', atMs: nowMs - 40 * DAY_MS },
          { type: 'view', sku: 'B', atMs: nowMs - DAY_MS },
          { type: 'cart', sku: 'B', atMs: nowMs - DAY_MS },
        ],
        nowMs,
        limit: 10,
      },
      none,
    )
    expect(ranked.map((r) => r.sku)).toEqual(['B', 'A'])
  })

  it('excludes what it is told to (dismissed)', () => {
    const nowMs = NOW.getTime()
    const { ranked } = rankForMember({ history: [{ type: 'view', sku: 'A', atMs: nowMs }], nowMs, limit: 10, exclude: new Set(['A']) }, none)
    expect(ranked).toEqual([])
  })
})
