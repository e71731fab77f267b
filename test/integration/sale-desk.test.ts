// The sale panel's services against the test profile server: totals agree from the panel to the
// server for random baskets and coupons, the single-use coupon, late identification both ways,
// and parked sales (retry with the same bytes, discard with a reason).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { unsentOutbox } from '../../electron/services/db/sales.ts'
import { openMusubi, type Musubi } from '../../electron/services/musubi.ts'
import { AppError } from '../../shared/errors.ts'
import type { Coupon, Sale } from '../../shared/records.ts'
import type { SaleDraftView } from '../../shared/views.ts'
import { customer, product } from '../support/fixtures.ts'
import { prng } from '../support/profile-server/faults.ts'
import { startProfileServer, type ProfileServer } from '../support/profile-server/server.ts'
import { ASSOCIATE, signInForTests } from '../support/staff.ts'

const ENV = { MUSUBI_RETRY_BASE_MS: '5' }
const cleanups: Array<() => unknown> = []
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!()
})

const DAY = 86_400_000
const PRODUCTS = [
  { sku: 'SKU-A', price: 490, category: ['ウェア', 'ソックス'] },
  { sku: 'SKU-B', price: 1490, category: ['ウェア', 'ソックス'] },
  { sku: 'SKU-C', price: 3333, category: ['ウェア', 'キャップ'] },
  { sku: 'SKU-D', price: 12_800, category: ['シューズ', 'ラン'] },
  { sku: 'SKU-E', price: 16_500, category: ['シューズ', 'トレイル'] },
  { sku: 'SKU-F', price: 99, category: ['小物'] },
]

function coupons(now: number): Coupon[] {
  const window = { validFrom: new Date(now - DAY).toISOString(), validTo: new Date(now + DAY).toISOString() }
  return [
    { code: 'AMT300', title: '300円引き', discount: { type: 'amount', value: 300 }, stackable: true, ...window },
    { code: 'PCT10', title: '10%引き', discount: { type: 'percent', value: 10 }, stackable: false, ...window },
    { code: 'PCT15SHOES', title: 'シューズ15%', discount: { type: 'percent', value: 15 }, categories: [['シューズ']], stackable: true, ...window },
    { code: 'MIN5000', title: '5,000円以上で1,000円引き', discount: { type: 'amount', value: 1000 }, minSpend: 5000, stackable: false, ...window },
    { code: 'BIG', title: '20,000円引き', discount: { type: 'amount', value: 20_000 }, stackable: true, ...window },
    { code: 'SOCKS7', title: 'ソックス7%', discount: { type: 'percent', value: 7 }, skus: ['SKU-A', 'SKU-B'], stackable: true, ...window },
    { code: 'ONCE', title: '一回限り', discount: { type: 'amount', value: 500 }, maxRedemptions: 1, stackable: true, ...window },
  ]
}

async function setup(options: { offline?: boolean } = {}): Promise<{ musubi: Musubi; server: ProfileServer; dir: string; reopenServer: () => Promise<ProfileServer> }> {
  const dir = mkdtempSync(join(tmpdir(), 'musubi-sale-desk-'))
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
  let server = await startProfileServer({ dbFile: join(dir, 'profile.db') })
  cleanups.push(() => server.close())
  server.addChanges([
    { kind: 'store', op: 'upsert', id: 'S001', data: { storeId: 'S001', name: 'Musubi 渋谷店' } },
    ...PRODUCTS.map((p) => ({ kind: 'product', op: 'upsert' as const, id: p.sku, data: product(p.sku, { barcodes: [], name: `商品 ${p.sku}`, price: p.price, category: p.category }) })),
    ...PRODUCTS.map((p) => ({ kind: 'inventory', op: 'upsert' as const, id: `S001:${p.sku}`, data: { id: `S001:${p.sku}`, storeId: 'S001', sku: p.sku, onHand: 50 } })),
    ...coupons(Date.now()).map((c) => ({ kind: 'coupon', op: 'upsert' as const, id: c.code, data: c })),
    { kind: 'customer', op: 'upsert', id: 'M0000001', data: customer('M0000001') },
    { kind: 'customer', op: 'upsert', id: 'M0000002', data: customer('M0000002', { displayName: '鈴木 花子' }) },
  ])
  const configPath = join(dir, 'config.json')
  writeFileSync(configPath, JSON.stringify({ storeId: 'S001', deviceId: 'REG-01', connector: { kind: 'http', endpoint: server.url, token: 'test-token' } }))
  const musubi = openMusubi({ configPath, dataDir: join(dir, 'data'), env: ENV })
  cleanups.push(() => musubi.close())
  await musubi.sync.runRound()
  signInForTests(musubi.api)
  const port = Number(new URL(server.url).port)
  if (options.offline) await server.close()
  return {
    musubi,
    server,
    dir,
    reopenServer: async () => {
      server = await startProfileServer({ dbFile: join(dir, 'profile.db'), port })
      cleanups.push(() => server.close())
      return server
    },
  }
}

const storedSales = (musubi: Musubi) => (musubi.db.prepare('SELECT body, total_yen FROM sales ORDER BY recorded_at').all() as Array<{ body: string; total_yen: number }>).map((r) => ({ sale: JSON.parse(r.body) as Sale, total: r.total_yen }))

async function refusal(fn: () => unknown): Promise<AppError> {
  try {
    await fn()
  } catch (error) {
    if (error instanceof AppError) return error
    throw error
  }
  throw new Error('expected a refusal')
}

describe('totals from the panel to the server', () => {
  it('agree for random baskets and coupon sets, and are never negative (seeded)', async () => {
    const { musubi, server } = await setup()
    const { api } = musubi
    const random = prng(20261125)
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!
    const codes = coupons(Date.now()).map((c) => c.code).filter((c) => c !== 'ONCE')
    const panels = new Map<string, SaleDraftView>()
    for (let i = 0; i < 40; i++) {
      await api.sales.setMember(random() < 0.5 ? 'M0000001' : null)
      for (let n = 1 + Math.floor(random() * 5); n > 0; n--) await api.sales.addItem(pick(PRODUCTS).sku, 1 + Math.floor(random() * 3))
      for (let n = Math.floor(random() * 4); n > 0; n--) await api.sales.addCoupon(pick(codes))
      if (random() < 0.3) {
        const draft = await api.sales.draft()
        await api.sales.setQty(draft.lines[0]!.sku, 0)
      }
      const panel = await api.sales.draft()
      if (panel.lines.length === 0) {
        await api.sales.void()
        continue
      }
      expect(panel.totalYen).toBeGreaterThanOrEqual(0)
      expect(panel.subtotalYen - panel.discountYen).toBe(panel.totalYen)
      expect(panel.lines.reduce((sum, l) => sum + l.amountYen - l.discountYen, 0)).toBe(panel.totalYen)
      expect(panel.coupons.filter((c) => c.applied).reduce((sum, c) => sum + c.discountYen, 0)).toBe(panel.discountYen)
      const finished = await api.sales.finish()
      expect(finished.totalYen).toBe(panel.totalYen)
      panels.set(finished.saleId, panel)
    }
    expect(panels.size).toBeGreaterThan(25)
    await musubi.sync.runUntilIdle(30_000)
    const pushed = new Map(server.sales().map((s) => [s.saleId, s.body as Sale]))
    for (const { sale, total } of storedSales(musubi)) {
      const panel = panels.get(sale.saleId)!
      expect(total).toBe(panel.totalYen)
      expect(sale.total).toBe(panel.totalYen)
      expect(sale.lines.map((l) => [l.sku, l.qty, l.unitPrice, l.discount])).toEqual(panel.lines.map((l) => [l.sku, l.qty, l.unitPriceYen, l.discountYen]))
      expect([...sale.coupons].sort()).toEqual(panel.coupons.filter((c) => c.applied).map((c) => c.code).sort())
      expect(pushed.get(sale.saleId)).toEqual(sale)
    }
  }, 60_000)

  it('refuses to finish an empty sale, and a void leaves nothing recorded but the audit entry', async () => {
    const { musubi } = await setup()
    const { api } = musubi
    expect((await refusal(() => api.sales.finish())).code).toBe('sale_refused')
    await api.sales.addItem('SKU-A', 2)
    await api.sales.void()
    expect((await api.sales.draft()).lines).toEqual([])
    expect(storedSales(musubi)).toEqual([])
    const voided = musubi.db.prepare(`SELECT staff_id, detail FROM audit_log WHERE action = 'sale_voided'`).get() as { staff_id: string; detail: string }
    expect(voided.staff_id).toBe(ASSOCIATE.staffId)
    expect(JSON.parse(voided.detail)).toMatchObject({ lines: [{ sku: 'SKU-A', qty: 2 }] })
  })

  it('keeps the sale being rung up across a restart of the app', async () => {
    const { musubi, dir } = await setup()
    await musubi.api.sales.addItem('SKU-D', 1)
    await musubi.api.sales.addCoupon('PCT10')
    await musubi.close()
    const again = openMusubi({ configPath: join(dir, 'config.json'), dataDir: join(dir, 'data'), env: ENV })
    cleanups.push(() => again.close())
    signInForTests(again.api)
    const draft = await again.api.sales.draft()
    expect(draft.lines.map((l) => l.sku)).toEqual(['SKU-D'])
    expect(draft.totalYen).toBe(12_800 - 1280)
  })
})

describe('coupons at this register', () => {
  it('counts a single-use coupon at once: the next sale is refused with the reason, offline too', async () => {
    const { musubi, server } = await setup()
    const { api } = musubi
    await api.sales.addItem('SKU-B', 1)
    await api.sales.addCoupon('ONCE')
    expect((await api.sales.draft()).coupons).toMatchObject([{ code: 'ONCE', applied: true, discountYen: 500 }])
    await api.sales.finish()
    await server.close()
    for (const member of [null, 'M0000002']) {
      await api.sales.setMember(member)
      await api.sales.addItem('SKU-B', 1)
      const next = await api.sales.addCoupon('ONCE')
      expect(next.coupons).toMatchObject([{ code: 'ONCE', applied: false, discountYen: 0, whyNot: { key: 'coupon.whyNot.max_redemptions' } }])
      expect(next.totalYen).toBe(1490)
      await api.sales.void()
    }
  })

  it('lists a coupon that does not fit with why, and applies it once the basket fits', async () => {
    const { musubi } = await setup()
    const { api } = musubi
    await api.sales.addItem('SKU-B', 1)
    let draft = await api.sales.addCoupon('MIN5000')
    expect(draft.coupons[0]).toMatchObject({ applied: false, whyNot: { key: 'coupon.whyNot.min_spend', params: { shortBy: 3510 } } })
    draft = await api.sales.addItem('SKU-C', 2)
    expect(draft.coupons[0]).toMatchObject({ applied: true, discountYen: 1000 })
    // A second non-stackable coupon is refused, naming the one it clashes with.
    draft = await api.sales.addCoupon('PCT10')
    expect(draft.coupons[1]).toMatchObject({ code: 'PCT10', applied: false, whyNot: { key: 'coupon.whyNot.not_stackable', params: { with: 'MIN5000' } } })
  })
})

describe('stock and the timeline', () => {
  it('takes what was sold off the stock here and shows the sale in the member timeline before it is sent', async () => {
    const { musubi } = await setup({ offline: true })
    const { api } = musubi
    await api.sales.setMember('M0000001')
    await api.sales.addItem('SKU-E', 2)
    await api.sales.finish()
    expect(musubi.db.prepare('SELECT on_hand FROM inventory WHERE sku = ?').get('SKU-E')).toEqual({ on_hand: 48 })
    const card = await api.customers.card('M0000001')
    expect(card.timeline[0]).toMatchObject({ type: 'purchase', channel: 'store', sku: 'SKU-E', qty: 2, storeName: 'Musubi 渋谷店' })
    expect(unsentOutbox(musubi.db)).toHaveLength(1)
  })
})

describe('late identification', () => {
  it('names the member in the body of a sale not yet sent (no attach call)', async () => {
    const { musubi, reopenServer } = await setup({ offline: true })
    const { api } = musubi
    await api.sales.addItem('SKU-A', 1)
    const { saleId } = await api.sales.finish()
    // The failed send above may have tried it already; a sale never tried keeps a clean body.
    const attempts = (musubi.db.prepare('SELECT attempts FROM outbox WHERE sale_id = ?').get(saleId) as { attempts: number }).attempts
    await api.sales.attachMember(saleId, 'M0000001')
    const card = await api.customers.card('M0000001')
    expect(card.timeline.some((e) => e.type === 'purchase' && e.sku === 'SKU-A')).toBe(true)
    const server = await reopenServer()
    await musubi.sync.runUntilIdle(20_000)
    expect(server.sales()).toHaveLength(1)
    expect(server.sales()[0]!.memberId).toBe('M0000001')
    const kinds = (musubi.db.prepare('SELECT kind FROM outbox WHERE sale_id = ? ORDER BY seq').all(saleId) as Array<{ kind: string }>).map((r) => r.kind)
    expect(kinds).toEqual(attempts === 0 ? ['sale'] : ['sale', 'member'])
    if (attempts === 0) expect((server.sales()[0]!.body as Sale).memberId).toBe('M0000001')
  })

  it('sends POST /v1/sales/{saleId}/member after a sale the server already holds', async () => {
    const { musubi, server } = await setup()
    const { api } = musubi
    await api.sales.addItem('SKU-C', 1)
    const { saleId } = await api.sales.finish()
    await musubi.sync.runUntilIdle(20_000)
    expect(server.sales()[0]!.memberId).toBeNull()
    const recent = await api.sales.attachMember(saleId, 'M0000002')
    expect(recent[0]).toMatchObject({ saleId, memberId: 'M0000002', attachable: false })
    await musubi.sync.runUntilIdle(20_000)
    expect(server.sales()[0]!.memberId).toBe('M0000002')
    expect(server.requests().byPath[`/v1/sales/${saleId}/member`]).toBe(1)
    // Once attached it cannot be attached again.
    expect((await refusal(() => api.sales.attachMember(saleId, 'M0000001'))).code).toBe('attach_refused')
  })

  it('refuses after 30 minutes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'musubi-sale-late-'))
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
    const configPath = join(dir, 'config.json')
    writeFileSync(configPath, JSON.stringify({ storeId: 'S001', deviceId: 'REG-01', connector: { kind: 'demo', scale: 0.001 } }))
    let clock = Date.parse('2026-11-25T01:00:00Z')
    const musubi = openMusubi({ configPath, dataDir: join(dir, 'data'), env: ENV, now: () => new Date(clock) })
    cleanups.push(() => musubi.close())
    await musubi.sync.runRound()
    signInForTests(musubi.api)
    const sku = (musubi.db.prepare('SELECT sku FROM products LIMIT 1').get() as { sku: string }).sku
    const memberId = (musubi.db.prepare('SELECT member_id FROM customers LIMIT 1').get() as { member_id: string }).member_id
    await musubi.api.sales.addItem(sku, 1)
    const { saleId } = await musubi.api.sales.finish()
    clock += 31 * 60_000
    signInForTests(musubi.api)
    expect((await musubi.api.sales.recent()).find((s) => s.saleId === saleId)).toBeUndefined()
    expect((await refusal(() => musubi.api.sales.attachMember(saleId, memberId))).code).toBe('attach_refused')
  })
})

describe('parked sales', () => {
  it('shows why, retries with the same key and bytes, and discards with a written reason', async () => {
    const { musubi, server } = await setup({ offline: true })
    const { api } = musubi
    await api.sales.addItem('SKU-D', 1)
    const { saleId } = await api.sales.finish()
    const body = (musubi.db.prepare('SELECT body FROM outbox WHERE sale_id = ?').get(saleId) as { body: string }).body
    // Another body already used this key on the server: it refuses ours (422) and the sale is parked.
    const otherDir = mkdtempSync(join(tmpdir(), 'musubi-parked-'))
    cleanups.push(() => rmSync(otherDir, { recursive: true, force: true }))
    const reopened = await startProfileServer({ dbFile: join(otherDir, 'p.db'), port: Number(new URL(server.url).port) })
    cleanups.push(() => reopened.close())
    const other = { ...(JSON.parse(body) as Sale), posReceipt: 'someone else' }
    const answer = await fetch(`${reopened.url}/v1/sales`, {
      method: 'POST',
      headers: { authorization: 'Bearer test-token', 'content-type': 'application/json', 'idempotency-key': saleId, 'x-musubi-store': 'S001', 'x-musubi-device': 'REG-99' },
      body: JSON.stringify(other),
    })
    expect(answer.status).toBe(201)
    await musubi.sync.runUntilIdle(20_000).catch(() => undefined)

    expect((await refusal(() => api.sales.parked())).code).toBe('manager_required')
    signInForTests(api, 'manager')
    const parked = await api.sales.parked()
    expect(parked).toMatchObject([{ saleId, kind: 'sale', body }])
    expect(parked[0]!.error).toContain('different body')
    expect(musubi.sync.status().salesFailed).toBe(1)

    const before = reopened.requests().byPath['/v1/sales'] ?? 0
    await api.sales.retry(saleId)
    await musubi.sync.runUntilIdle(20_000).catch(() => undefined)
    expect(reopened.requests().byPath['/v1/sales']).toBe(before + 1)
    expect((await api.sales.parked())[0]!.body).toBe(body)

    const exported = JSON.parse(await api.sales.exportParked()) as Array<{ saleId: string; body: Sale }>
    expect(exported[0]).toMatchObject({ saleId, body: JSON.parse(body) as Sale })

    expect((await refusal(() => api.sales.discard(saleId, ' '))).code).toBe('invalid_input')
    await api.sales.discard(saleId, '本部で手入力済み')
    expect(await api.sales.parked()).toEqual([])
    await expect.poll(() => musubi.sync.status().salesFailed).toBe(0)
    const actions = (musubi.db.prepare(`SELECT action FROM audit_log WHERE subject = ? ORDER BY seq`).all(saleId) as Array<{ action: string }>).map((r) => r.action)
    expect(actions).toEqual(['sale_finished', 'sale_retried', 'sale_discarded'])
  })
})

describe('who opened which card', () => {
  it('logs a card once per associate and customer within 10 minutes, with the register', async () => {
    const { musubi } = await setup()
    const { api } = musubi
    await api.scan.resolve('M0000001')
    await api.customers.card('M0000001')
    await api.customers.card('M0000002')
    signInForTests(api, 'manager')
    await api.customers.card('M0000001')
    const opened = await api.audit.list(100, null)
    expect(opened.filter((e) => e.action === 'card_opened').map((e) => [e.staffId, e.subject, e.deviceId]).reverse()).toEqual([
      [ASSOCIATE.staffId, 'M0000001', 'REG-01'],
      [ASSOCIATE.staffId, 'M0000002', 'REG-01'],
      ['S0001', 'M0000001', 'REG-01'],
    ])
    expect(await api.audit.exportCsv()).toContain('card_opened')
  })
})
