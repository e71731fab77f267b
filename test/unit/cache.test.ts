import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { countCustomers, getCustomer, searchCustomers } from '../../electron/services/db/customers.ts'
import { countEvents, timelineRows } from '../../electron/services/db/events.ts'
import type { WritableDB } from '../../electron/services/db/handle.ts'
import { openDatabase } from '../../electron/services/db/open.ts'
import { readSyncState } from '../../electron/services/db/sync-state.ts'
import { productByBarcode } from '../../electron/services/db/catalog.ts'
import { applyPage } from '../../electron/services/sync/apply.ts'
import { mergeStagedEvents } from '../../electron/services/db/staged-events.ts'
import { adoptSource } from '../../electron/services/sync/sync-service.ts'
import { customerCard } from '../../electron/services/customers/card.ts'
import { customer, del, event, product, upsert } from '../support/fixtures.ts'

let db: WritableDB

beforeEach(() => {
  db = openDatabase(':memory:')
  adoptSource(db, 'test')
})
afterEach(() => db.close())

const page = [
  upsert('store', 'S001', { storeId: 'S001', name: 'Musubi 渋谷店' }),
  upsert('product', 'SKU-1', product('SKU-1')),
  upsert('inventory', 'S001:SKU-1', { id: 'S001:SKU-1', storeId: 'S001', sku: 'SKU-1', onHand: 7 }),
  upsert('customer', 'M0000001', customer('M0000001')),
  upsert('customer', 'M0000002', customer('M0000002', { displayName: '佐藤 花子', nameKana: 'サトウ ハナコ', phone: '080-5555-1234', email: 'hanako@example.jp' })),
  upsert('event', 'e1', event('e1')),
  upsert('event', 'e2', event('e2', { type: 'purchase', channel: 'store', storeId: 'S001', orderId: 'o1', qty: 2, price: 1490, at: '2026-11-21T03:00:00.000Z' })),
]

describe('applyPage', () => {
  it('applies a page and stores its cursor in one go', () => {
    const counts = applyPage(db, page, 'c1', 1)
    expect(counts).toMatchObject({ customers: 2, products: 1, events: 2, other: 2, skipped: 0 })
    expect(readSyncState(db)?.cursor).toBe('c1')
    expect(countCustomers(db)).toBe(2)
  })

  it('leaves the cache as once when the same page comes twice', () => {
    applyPage(db, page, 'c1', 1)
    const before = { customers: countCustomers(db), events: countEvents(db), hits: searchCustomers(db, 'やまだ').length }
    applyPage(db, page, 'c1', 1)
    expect({ customers: countCustomers(db), events: countEvents(db), hits: searchCustomers(db, 'やまだ').length }).toEqual(before)
  })

  it('keeps no views, carts or wishlists of a member without consent, whatever the order of the page', () => {
    const ids = () => (db.prepare('SELECT id FROM events ORDER BY id').pluck().all() as string[]).join(' ')
    const withdrawn = customer('M0000001', { consent: { personalization: false } })
    // Known without consent: the view is not stored; a purchase is.
    applyPage(db, [upsert('customer', 'M0000001', withdrawn), upsert('event', 'v1', event('v1')), upsert('event', 'p1', event('p1', { type: 'purchase' }))], 'c1', 1)
    expect(ids()).toBe('p1')
    // A kept purchase that comes again as a view goes.
    applyPage(db, [upsert('event', 'p1', event('p1'))], 'c2', 1)
    expect(ids()).toBe('')
    // Consent given, then withdrawn within one page: what came between goes, nothing after is kept.
    applyPage(
      db,
      [upsert('customer', 'M0000001', customer('M0000001')), upsert('event', 'v2', event('v2')), upsert('customer', 'M0000001', withdrawn), upsert('event', 'v3', event('v3'))],
      'c3',
      1,
    )
    expect(ids()).toBe('')
    // Events before their member: kept until the member arrives without consent.
    applyPage(db, [upsert('event', 'w1', event('w1', { memberId: 'M0000002', type: 'wishlist' }))], 'c4', 1)
    expect(ids()).toBe('w1')
    applyPage(db, [upsert('customer', 'M0000002', customer('M0000002', { consent: { personalization: false } }))], 'c5', 1)
    expect(ids()).toBe('')
  })

  it('skips and counts malformed changes, ignores unknown kinds, and never stalls', () => {
    const counts = applyPage(
      db,
      [
        upsert('customer', 'M1', { memberId: 'M1' }),
        upsert('customer', 'M2', customer('M3')),
        upsert('hologram', 'h1', { any: 1 }),
        { kind: 'event', op: 'rename', id: 'x' },
        upsert('customer', 'M0000009', { ...customer('M0000009'), futureField: 'kept out' }),
      ],
      'c2',
      1,
    )
    expect(counts).toMatchObject({ skipped: 3, ignored: 1, customers: 1 })
    expect(readSyncState(db)?.skippedChanges).toBe(3)
    expect(getCustomer(db, 'M0000009')).not.toHaveProperty('futureField')
  })

  it('skips malformed events of a first sync as a page applied in place does, and stages the rest', () => {
    const changes = [
      upsert('event', 'e1', event('e1', { at: '2026-11-20T14:00:00+09:00', extra: 'kept out' } as never)),
      upsert('event', 'e2', event('e3')),
      upsert('event', 'e4', { ...event('e4'), at: 'yesterday' }),
      upsert('event', 'e5', { ...event('e5'), memberId: '' }),
      { kind: 'event', op: 'upsert', id: 'e6' },
      null as never,
      upsert('event', 'e7', event('e7', { type: 'purchase', qty: 1, sku: 'SKU-1' })),
    ]
    const inPlace = openDatabase(':memory:')
    adoptSource(inPlace, 'test')
    const want = applyPage(inPlace, changes, 'c1', 1)
    expect(want).toMatchObject({ events: 2, skipped: 5 })
    expect(applyPage(db, changes, 'c1', 1, { staged: true })).toEqual(want)
    db.transaction(() => mergeStagedEvents(db)).immediate()
    const rows = (d: WritableDB): unknown[] => d.prepare('SELECT id, member_id, type, sku, qty, at FROM events ORDER BY id').all()
    expect(rows(db)).toEqual(rows(inPlace))
    expect(rows(db)).toMatchObject([{ id: 'e1', at: '2026-11-20T05:00:00.000Z' }, { id: 'e7', type: 'purchase' }])
    inPlace.close()
  })

  it('deletes a customer with their events', () => {
    applyPage(db, page, 'c1', 1)
    applyPage(db, [del('customer', 'M0000001')], 'c2', 1)
    expect(getCustomer(db, 'M0000001')).toBeNull()
    expect(timelineRows(db, 'M0000001', 10)).toEqual([])
    expect(searchCustomers(db, '山田')).toEqual([])
  })

  it('keeps events that arrive before their customer', () => {
    applyPage(db, [upsert('event', 'e9', event('e9', { memberId: 'M0000005' }))], 'c1', 1)
    applyPage(db, [upsert('customer', 'M0000005', customer('M0000005'))], 'c2', 1)
    expect(timelineRows(db, 'M0000005', 10).map((r) => r.id)).toEqual(['e9'])
  })

  it('finds products by barcode, UPC-A and EAN-13 alike', () => {
    applyPage(db, [upsert('product', 'SKU-U', product('SKU-U', { barcodes: ['012345678905'] }))], 'c1', 1)
    expect(productByBarcode(db, '0012345678905')?.sku).toBe('SKU-U')
    expect(productByBarcode(db, '012345678905')?.sku).toBe('SKU-U')
  })
})

describe('searchCustomers', () => {
  beforeEach(() => {
    applyPage(db, page, 'c1', 1)
  })

  it.each([
    ['member number', 'M0000002', 'M0000002'],
    ['member number digits', '0000002', 'M0000002'],
    ['family name', '佐藤', 'M0000002'],
    ['reading in hiragana', 'さとう', 'M0000002'],
    ['reading in katakana', 'サトウ', 'M0000002'],
    ['reading in half-width katakana', 'ｻﾄｳ', 'M0000002'],
    ['reading without the space', 'さとうはな', 'M0000002'],
    ['phone', '080-5555', 'M0000002'],
    ['last four of phone', '1234', 'M0000002'],
    ['email', 'hanako@', 'M0000002'],
  ])('finds by %s', (_label, query, memberId) => {
    expect(searchCustomers(db, query).map((c) => c.memberId)).toContain(memberId)
  })

  it('puts an exact member number first and finds nothing for nonsense', () => {
    expect(searchCustomers(db, 'm0000001')[0]?.memberId).toBe('M0000001')
    expect(searchCustomers(db, 'zzzz')).toEqual([])
  })
})

describe('customerCard', () => {
  it('merges online and in-store events newest first, with names and stock here', () => {
    applyPage(db, page, 'c1', 1)
    const card = customerCard({ db, storeId: 'S001', now: () => new Date('2026-11-22T00:00:00Z'), offline: () => false }, 'M0000001')!
    expect(card.timeline.map((e) => [e.id, e.channel, e.productName, e.storeName])).toEqual([
      ['e2', 'store', 'ランニングソックス', 'Musubi 渋谷店'],
      ['e1', 'web', 'ランニングソックス', null],
    ])
    expect(card.recentlyViewed).toEqual([expect.objectContaining({ sku: 'SKU-1', views: 1, onHandHere: 7, priceYen: 1490 })])
    expect(card.stats).toMatchObject({ storePurchases: 1, onlinePurchases: 0, spendLastYearYen: 2980, lastVisitHereAt: '2026-11-21T03:00:00.000Z' })
    expect(card.freshness).toEqual({ asOf: null, stale: true })
  })

  it('answers null for a member not in the cache', () => {
    expect(customerCard({ db, storeId: 'S001', now: () => new Date(), offline: () => false }, 'M9999999')).toBeNull()
  })
})
