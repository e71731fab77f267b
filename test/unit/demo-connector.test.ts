import { beforeAll, describe, expect, it } from 'vitest'
import type { Connector } from '../../electron/services/sync/connector.ts'
import {
  createDemoConnector,
  DEMO_STORE_ID,
  demoSampleMemberId,
  demoTotals,
} from '../../electron/services/sync/demo/index.ts'
import { saleIdOf } from '../../electron/services/sync/demo/ids.ts'
import { isValidGtin } from '../../shared/codes/gtin.ts'
import {
  recordKinds,
  type Coupon,
  type Customer,
  type Inventory,
  type Product,
  type ProfileEvent,
  type RawChange,
  type RecordKind,
  type Store,
} from '../../shared/records.ts'

const SCALE = 0.02
const DAY_MS = 86_400_000
const NOW = new Date('2026-11-22T05:30:00.000Z')
const ANCHOR_MS = Date.UTC(2026, 10, 22)
const fixedClock = (): Date => NOW

type Feed = { changes: RawChange[]; cursors: string[]; pages: number }

async function pullAll(connector: Connector, limit: number, from: string | null = null): Promise<Feed> {
  const changes: RawChange[] = []
  const cursors: string[] = []
  let cursor = from
  let pages = 0
  for (;;) {
    const page = await connector.pullChanges(cursor, limit)
    changes.push(...page.changes)
    cursors.push(page.cursor)
    cursor = page.cursor
    pages++
    if (!page.hasMore) return { changes, cursors, pages }
  }
}

const ofKind = <T>(feed: Feed, kind: RecordKind): T[] =>
  feed.changes.filter((c) => c.kind === kind).map((c) => c.data as T)

describe('demo connector', () => {
  let feed: Feed
  let products: Product[]
  let inventory: Inventory[]
  let coupons: Coupon[]
  let customers: Customer[]
  let events: ProfileEvent[]
  let stores: Store[]

  beforeAll(async () => {
    feed = await pullAll(createDemoConnector({ scale: SCALE, now: fixedClock }), 5000)
    stores = ofKind(feed, 'store')
    products = ofKind(feed, 'product')
    inventory = ofKind(feed, 'inventory')
    coupons = ofKind(feed, 'coupon')
    customers = ofKind(feed, 'customer')
    events = ofKind(feed, 'event')
  })

  it('has the sizes demoTotals reports, exactly', async () => {
    const totals = demoTotals(SCALE)
    expect(stores).toHaveLength(totals.stores)
    expect(products).toHaveLength(totals.products)
    expect(inventory).toHaveLength(totals.inventory)
    expect(coupons).toHaveLength(totals.coupons)
    expect(customers).toHaveLength(totals.customers)
    expect(events).toHaveLength(totals.events)
    expect(feed.changes).toHaveLength(totals.total)
    expect(totals.total).toBe(
      totals.stores + totals.products + totals.inventory + totals.coupons + totals.customers + totals.events,
    )
    expect(demoTotals(1)).toMatchObject({ products: 3000, customers: 50_000, events: 1_000_000, coupons: 40, stores: 8 })
    expect(demoTotals(1).inventory).toBe(24_000)
  })

  it('reports progress and ends the feed', async () => {
    const connector = createDemoConnector({ scale: SCALE, now: fixedClock })
    const total = demoTotals(SCALE).total
    const first = await connector.pullChanges(null, 1000)
    expect(first.progress).toEqual({ done: 1000, total })
    expect(first.hasMore).toBe(true)
    const last = feed.cursors.at(-1) ?? ''
    const after = await connector.pullChanges(last, 1000)
    expect(after).toMatchObject({ changes: [], hasMore: false, cursor: last, progress: { done: total, total } })
  })

  it('comes in feed order: stores, products, inventory, coupons, customers, events', () => {
    const order = ['store', 'product', 'inventory', 'coupon', 'customer', 'event']
    const ranks = feed.changes.map((c) => order.indexOf(c.kind))
    expect(ranks.every((r, i) => r >= 0 && (i === 0 || r >= (ranks[i - 1] ?? 0)))).toBe(true)
    expect(feed.changes.every((c) => c.op === 'upsert')).toBe(true)
  })

  it('is deterministic: same seed, scale and day give the same pages, byte for byte', async () => {
    const a = createDemoConnector({ scale: SCALE, now: fixedClock })
    const b = createDemoConnector({ scale: SCALE, now: () => new Date('2026-11-22T23:59:00.000Z') })
    let cursorA: string | null = null
    let cursorB: string | null = null
    for (let i = 0; i < 12; i++) {
      const pageA = await a.pullChanges(cursorA, 4321)
      const pageB = await b.pullChanges(cursorB, 4321)
      expect(JSON.stringify(pageB)).toBe(JSON.stringify(pageA))
      cursorA = pageA.cursor
      cursorB = pageB.cursor
    }
    const other = await createDemoConnector({ scale: SCALE, seed: 7, now: fixedClock }).pullChanges(null, 5000)
    const same = await a.pullChanges(null, 5000)
    expect(JSON.stringify(other.changes)).not.toBe(JSON.stringify(same.changes))
  })

  it('gives the same feed whatever the page size (random access by position)', async () => {
    const small = await pullAll(createDemoConnector({ scale: SCALE, now: fixedClock }), 997)
    expect(small.pages).toBeGreaterThan(feed.pages)
    expect(JSON.stringify(small.changes)).toBe(JSON.stringify(feed.changes))
  })

  it('keeps the anchor day of the first page for the whole sync, also from a cursor in a new connector', async () => {
    let clock = NOW
    const connector = createDemoConnector({ scale: SCALE, now: () => clock })
    const first = await connector.pullChanges(null, 10_000)
    expect(first.cursor).toContain('2026-11-22')
    clock = new Date(NOW.getTime() + 3 * DAY_MS)
    const rest = await pullAll(connector, 5000, first.cursor)
    expect(rest.cursors.every((c) => c.includes('2026-11-22'))).toBe(true)
    expect(JSON.stringify([...first.changes, ...rest.changes])).toBe(JSON.stringify(feed.changes))

    const resumed = createDemoConnector({ scale: SCALE, now: () => new Date('2027-02-01T00:00:00.000Z') })
    const cursor = feed.cursors[3] ?? ''
    const page = await resumed.pullChanges(cursor, 5000)
    expect(JSON.stringify(page.changes)).toBe(JSON.stringify(feed.changes.slice(20_000, 25_000)))

    const fresh = await resumed.pullChanges(null, 10)
    expect(fresh.cursor).toContain('2027-02-01')
  })

  it('refuses malformed cursors and cursors of another demo feed with a clear message', async () => {
    const connector = createDemoConnector({ scale: SCALE, now: fixedClock })
    await expect(connector.pullChanges('nonsense', 10)).rejects.toThrow(/malformed cursor/)
    await expect(connector.pullChanges('demo1:2026-13-45:20261122:0.02:10', 10)).rejects.toThrow(/malformed cursor/)
    await expect(connector.pullChanges('demo1:2026-11-22:7:0.02:10', 10)).rejects.toThrow(/seed 7/)
    await expect(connector.pullChanges('demo1:2026-11-22:20261122:0.02:99999999', 10)).rejects.toThrow(/past the end/)
    await expect(connector.pullChanges(null, 0)).rejects.toThrow(/limit/)
  })

  it('produces records that pass the schemas of shared/records.ts', () => {
    const kinds = Object.keys(recordKinds) as RecordKind[]
    for (const kind of kinds) {
      const ofThisKind = feed.changes.filter((c) => c.kind === kind)
      expect(ofThisKind.length, kind).toBeGreaterThan(0)
      const step = kind === 'event' ? 7 : kind === 'inventory' ? 3 : 1
      for (let i = 0; i < ofThisKind.length; i += step) {
        const change = ofThisKind[i] as RawChange
        const result = recordKinds[kind].schema.safeParse(change.data)
        expect(result.success, `${kind} ${change.id}: ${result.error?.message}`).toBe(true)
        // The change id is the record's id within its kind (profile-api.md 1).
        expect(recordKinds[kind].idOf(change.data as never)).toBe(change.id)
      }
    }
  })

  it('gives every product a valid JAN, unique skus and barcodes, Japanese names and yen prices', () => {
    for (const p of products) {
      const jan = p.barcodes[0] ?? ''
      expect(jan, p.sku).toMatch(/^4[59]\d{11}$/)
      expect(isValidGtin(jan), jan).toBe(true)
      for (const extra of p.barcodes.slice(1)) {
        if (/^\d+$/.test(extra)) expect(isValidGtin(extra), extra).toBe(true)
      }
      expect(p.currency).toBe('JPY')
      expect(Number.isInteger(p.price) && p.price > 0).toBe(true)
      expect(p.category.length).toBeGreaterThanOrEqual(2)
      expect(p.name).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/)
    }
    expect(new Set(products.map((p) => p.sku)).size).toBe(products.length)
    const barcodes = products.flatMap((p) => p.barcodes)
    expect(new Set(barcodes).size).toBe(barcodes.length)
    const sized = products.filter((p) => p.attributes?.size === '26.5')
    expect(sized.length).toBeGreaterThan(0)
    expect(products.some((p) => p.category[0] === '衣料' && p.attributes?.size === 'M')).toBe(true)
    expect(products.some((p) => p.category.join('/') === '食品/お茶')).toBe(true)
  })

  it('stocks every product in every store, register store included', () => {
    const skus = new Set(products.map((p) => p.sku))
    for (const store of stores) {
      const rows = inventory.filter((r) => r.storeId === store.storeId)
      expect(rows).toHaveLength(products.length)
    }
    for (const row of inventory) {
      expect(row.id).toBe(`${row.storeId}:${row.sku}`)
      expect(skus.has(row.sku)).toBe(true)
      expect(row.onHand).toBeGreaterThanOrEqual(0)
      expect(row.onHand).toBeLessThanOrEqual(30)
    }
    const zero = inventory.filter((r) => r.onHand === 0).length / inventory.length
    expect(zero).toBeGreaterThan(0.07)
    expect(zero).toBeLessThan(0.2)
    expect(stores.map((s) => s.storeId)).toContain(DEMO_STORE_ID)
    expect(stores.find((s) => s.storeId === 'S001')?.name).toBe('Musubi 渋谷店')
  })

  it('has members with Japanese names, readings and plausible contact data', () => {
    for (const c of customers) {
      expect(c.memberId).toMatch(/^M\d{7}$/)
      expect(c.displayName).toMatch(/^\S+\u3000\S+$/)
      expect(c.nameKana).toMatch(/^[\u30a0-\u30ff]+\u3000[\u30a0-\u30ff]+$/)
      if (c.email) expect(c.email).toMatch(/^[a-z0-9._]+@example\.(jp|ne\.jp|com)$/)
      if (c.phone) expect(c.phone).toMatch(/^0[789]0-\d{4}-\d{4}$/)
      expect(['regular', 'silver', 'gold', 'platinum']).toContain(c.tier)
      expect(Date.parse(c.updatedAt)).toBeLessThanOrEqual(NOW.getTime())
    }
    const share = (f: (c: Customer) => boolean): number => customers.filter(f).length / customers.length
    expect(share((c) => c.email !== undefined)).toBeGreaterThan(0.78)
    expect(share((c) => c.phone !== undefined)).toBeGreaterThan(0.6)
    expect(share((c) => !c.consent.personalization)).toBeGreaterThan(0.03)
    expect(share((c) => c.tier === 'regular')).toBeGreaterThan(0.5)
    const emails = customers.flatMap((c) => (c.email ? [c.email] : []))
    expect(new Set(emails).size).toBe(emails.length)
  })

  it('has events in range that reference existing members, skus, stores and coupons', () => {
    const members = new Set(customers.map((c) => c.memberId))
    const skus = new Set(products.map((p) => p.sku))
    const storeIds = new Set(stores.map((s) => s.storeId))
    const codes = new Set(coupons.map((c) => c.code))
    const earliest = ANCHOR_MS - 730 * DAY_MS
    for (const e of events) {
      const t = Date.parse(e.at)
      expect(t, e.id).toBeGreaterThanOrEqual(earliest)
      expect(t, e.id).toBeLessThanOrEqual(NOW.getTime())
      expect(e.at).toBe(new Date(t).toISOString())
      expect(members.has(e.memberId), e.id).toBe(true)
      if (e.sku !== undefined) expect(skus.has(e.sku), e.id).toBe(true)
      if (e.storeId !== undefined) expect(storeIds.has(e.storeId), e.id).toBe(true)
      if (e.type === 'coupon_redeemed') {
        expect(codes.has(e.couponCode ?? ''), e.id).toBe(true)
        expect(e.id).toBe(`${e.orderId}:coupon:${e.couponCode}`)
      }
      if (e.type === 'purchase') {
        expect(e.orderId && e.qty && e.qty > 0 && e.price !== undefined, e.id).toBeTruthy()
        expect(e.id).toMatch(new RegExp(`^${e.orderId}:\\d+$`))
      }
      if (e.channel === 'store') {
        expect(e.storeId, e.id).toBeDefined()
        expect(e.orderId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
      }
    }
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length)
    const types = new Set(events.map((e) => e.type))
    expect([...types].sort()).toEqual(['cart', 'coupon_redeemed', 'purchase', 'view', 'wishlist'])
    expect(new Set(events.map((e) => e.channel))).toEqual(new Set(['web', 'app', 'store']))
  })

  it('spreads events unevenly over members, and a good share of them call the register store home', () => {
    const perMember = new Map<string, number>()
    for (const e of events) perMember.set(e.memberId, (perMember.get(e.memberId) ?? 0) + 1)
    const counts = [...perMember.values()].sort((a, b) => a - b)
    const median = counts[Math.floor(counts.length / 2)] ?? 0
    expect(median).toBeLessThan(15)
    expect(counts.at(-1)).toBeGreaterThan(150)
    const storeVisits = events.filter((e) => e.channel === 'store' && e.type === 'purchase')
    const atRegister = storeVisits.filter((e) => e.storeId === DEMO_STORE_ID).length / storeVisits.length
    expect(atRegister).toBeGreaterThan(0.2)
  })

  it('makes sale ids that are UUIDs and never collide, whatever the member and order', () => {
    const ids = new Set<string>()
    for (let member = 0; member < 25_000; member++) {
      for (let order = 0; order < 4; order++) ids.add(saleIdOf(20261122, member, order))
    }
    expect(ids.size).toBe(100_000)
    expect(saleIdOf(1, 2, 3)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  })

  it('redeems coupons only as their rules allow', () => {
    const byCode = new Map(coupons.map((c) => [c.code, c]))
    const customerById = new Map(customers.map((c) => [c.memberId, c]))
    const uses = new Map<string, number>()
    const usesByMember = new Map<string, number>()
    for (const e of events.filter((x) => x.type === 'coupon_redeemed')) {
      const coupon = byCode.get(e.couponCode ?? '') as Coupon
      const t = Date.parse(e.at)
      expect(t >= Date.parse(coupon.validFrom) && t < Date.parse(coupon.validTo), e.id).toBe(true)
      const member = customerById.get(e.memberId) as Customer
      if (coupon.audience) {
        const a = coupon.audience
        const matches =
          (a.tags ?? []).some((tag) => member.tags.includes(tag)) ||
          (a.tiers ?? []).includes(member.tier ?? '') ||
          (a.memberIds ?? []).includes(member.memberId)
        expect(matches, e.id).toBe(true)
      }
      uses.set(coupon.code, (uses.get(coupon.code) ?? 0) + 1)
      const key = `${coupon.code}|${e.memberId}`
      usesByMember.set(key, (usesByMember.get(key) ?? 0) + 1)
      expect(usesByMember.get(key) ?? 0, key).toBeLessThanOrEqual(coupon.perCustomerLimit ?? Infinity)
      expect(uses.get(coupon.code) ?? 0, coupon.code).toBeLessThanOrEqual(coupon.maxRedemptions ?? Infinity)
    }
    expect(uses.size).toBeGreaterThan(5)
  })

  it('has the coupon mix the counter needs: current and expired, percent and amount, single-use codes', () => {
    const current = coupons.filter((c) => Date.parse(c.validFrom) <= NOW.getTime() && NOW.getTime() < Date.parse(c.validTo))
    const expired = coupons.filter((c) => Date.parse(c.validTo) <= NOW.getTime())
    const upcoming = coupons.filter((c) => Date.parse(c.validFrom) > NOW.getTime())
    expect(current.length).toBeGreaterThan(10)
    expect(expired.length).toBeGreaterThan(10)
    expect(upcoming.length).toBeGreaterThan(0)
    expect(coupons.some((c) => c.discount.type === 'percent')).toBe(true)
    expect(coupons.some((c) => c.discount.type === 'amount')).toBe(true)
    expect(coupons.some((c) => c.minSpend !== undefined)).toBe(true)
    expect(coupons.some((c) => c.skus !== undefined)).toBe(true)
    expect(coupons.some((c) => c.categories !== undefined)).toBe(true)
    expect(coupons.some((c) => c.audience?.tags !== undefined)).toBe(true)
    expect(coupons.some((c) => c.audience?.tiers !== undefined)).toBe(true)
    expect(coupons.some((c) => c.stackable) && coupons.some((c) => !c.stackable)).toBe(true)
    expect(coupons.filter((c) => c.maxRedemptions === 1).length).toBeGreaterThan(5)
    expect(new Set(coupons.map((c) => c.code)).size).toBe(coupons.length)
  })

  it('gives the sample member a rich, demonstrable history', () => {
    expect(demoSampleMemberId).toBe('M0000001')
    const member = customers.find((c) => c.memberId === demoSampleMemberId) as Customer
    expect(member.displayName).toBe('佐藤\u3000美咲')
    expect(member.consent.personalization).toBe(true)
    const own = events.filter((e) => e.memberId === demoSampleMemberId)
    expect(own.length).toBeGreaterThan(100)

    const skuOf = new Map(products.map((p) => [p.sku, p]))
    const stocked = new Set(inventory.filter((r) => r.storeId === DEMO_STORE_ID && r.onHand > 0).map((r) => r.sku))
    const recentViews = own.filter((e) => e.type === 'view' && Date.parse(e.at) >= ANCHOR_MS - 3 * DAY_MS)
    expect(recentViews.length).toBeGreaterThanOrEqual(5)
    for (const v of recentViews) {
      expect(stocked.has(v.sku ?? ''), v.sku).toBe(true)
      expect(skuOf.get(v.sku ?? '')).toBeDefined()
    }
    const purchases = own.filter((e) => e.type === 'purchase')
    expect(purchases.some((e) => e.channel !== 'store')).toBe(true)
    expect(purchases.some((e) => e.channel === 'store' && e.storeId === DEMO_STORE_ID)).toBe(true)
    expect(purchases.some((e) => e.channel === 'store' && e.storeId !== DEMO_STORE_ID)).toBe(true)

    const gift = coupons.find(
      (c) => c.maxRedemptions === 1 && c.audience?.memberIds?.includes(demoSampleMemberId) && Date.parse(c.validTo) > NOW.getTime(),
    )
    expect(gift).toBeDefined()
    expect(own.some((e) => e.couponCode === gift?.code)).toBe(false)
  })

  it('answers fetchCustomer with the same member and events as the feed, newest first', async () => {
    const connector = createDemoConnector({ scale: SCALE, now: fixedClock })
    for (const memberId of [demoSampleMemberId, 'M0000002', 'M0000500', `M${String(customers.length).padStart(7, '0')}`]) {
      const answer = await connector.fetchCustomer(memberId)
      expect(answer, memberId).not.toBeNull()
      if (!answer) continue
      expect(answer.customer).toEqual(customers.find((c) => c.memberId === memberId))
      const fromFeed = events.filter((e) => e.memberId === memberId)
      expect(answer.events.length).toBe(Math.min(500, fromFeed.length))
      const byId = new Map(fromFeed.map((e) => [e.id, e]))
      for (const e of answer.events) expect(e).toEqual(byId.get(e.id))
      for (let i = 1; i < answer.events.length; i++) {
        expect((answer.events[i - 1] as ProfileEvent).at >= (answer.events[i] as ProfileEvent).at).toBe(true)
      }
      const newest = fromFeed.map((e) => e.at).sort().at(-1)
      expect(answer.events[0]?.at).toBe(newest)
    }
    expect(await connector.fetchCustomer(`M${String(customers.length + 1).padStart(7, '0')}`)).toBeNull()
    expect(await connector.fetchCustomer('M0000000')).toBeNull()
    expect(await connector.fetchCustomer('nobody')).toBeNull()
  })

  it('builds around the configured register store', async () => {
    const connector = createDemoConnector({ scale: SCALE, storeId: 'S006', now: fixedClock })
    const answer = await connector.fetchCustomer(demoSampleMemberId)
    const storePurchases = answer?.events.filter((e) => e.channel === 'store') ?? []
    expect(storePurchases.some((e) => e.storeId === 'S006')).toBe(true)

    const unknown = createDemoConnector({ scale: SCALE, storeId: 'TOKYO-9', now: fixedClock })
    const page = await unknown.pullChanges(null, 8)
    const ids = page.changes.map((c) => c.id)
    expect(ids).toContain('TOKYO-9')
    expect(ids).not.toContain('S001')
  })
})
