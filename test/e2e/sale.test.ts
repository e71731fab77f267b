// The proof, through the real UI against the test profile server: sign in, scan a member,
// scan two products, accept a suggestion, apply a coupon, finish; the sale is in the timeline and
// the outbox, then on the server with what the card showed; the single-use coupon is then refused.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Sale } from '../../shared/records.ts'
import { customer, event, product } from '../support/fixtures.ts'
import { startProfileServer, type ProfileServer } from '../support/profile-server/server.ts'
import { ASSOCIATE } from '../support/staff.ts'
import { startApp, wedgeScan, type RunningApp } from './harness.ts'
import { ARTIFACTS_DIR } from './paths.ts'

mkdirSync(ARTIFACTS_DIR, { recursive: true })

const DAY = 86_400_000
const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString()
const SOCKS = { sku: 'SKU-SOCKS', barcode: '4901234567801', price: 1490 }
const SHOES = { sku: 'SKU-SHOES', barcode: '4901234567818', price: 12800 }
const CAP = { sku: 'SKU-CAP', barcode: '4901234567825', price: 3200 }
const COUPON = 'WELCOME500'

let dir: string
let server: ProfileServer
let app: RunningApp

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'musubi-e2e-sale-'))
  server = await startProfileServer({ dbFile: join(dir, 'profile.db') })
  server.addChanges([
    { kind: 'store', op: 'upsert', id: 'S001', data: { storeId: 'S001', name: 'Musubi 渋谷店' } },
    { kind: 'product', op: 'upsert', id: SOCKS.sku, data: product(SOCKS.sku, { barcodes: [SOCKS.barcode], name: 'ランニングソックス', price: SOCKS.price, category: ['ウェア', 'ソックス'] }) },
    { kind: 'product', op: 'upsert', id: SHOES.sku, data: product(SHOES.sku, { barcodes: [SHOES.barcode], name: 'トレイルシューズ', price: SHOES.price, category: ['シューズ', 'トレイル'] }) },
    { kind: 'product', op: 'upsert', id: CAP.sku, data: product(CAP.sku, { barcodes: [CAP.barcode], name: 'ランニングキャップ', price: CAP.price, category: ['ウェア', 'キャップ'] }) },
    ...[SOCKS, SHOES, CAP].map((p) => ({ kind: 'inventory', op: 'upsert' as const, id: `S001:${p.sku}`, data: { id: `S001:${p.sku}`, storeId: 'S001', sku: p.sku, onHand: 5 } })),
    { kind: 'customer', op: 'upsert', id: 'M0000001', data: customer('M0000001') },
    // Viewed the cap online three times this week and never bought it: the card suggests it.
    ...[1, 2, 3].map((d) => ({ kind: 'event', op: 'upsert' as const, id: `v${d}`, data: event(`v${d}`, { type: 'view', channel: 'app', sku: CAP.sku, at: ago(d) }) })),
    {
      kind: 'coupon',
      op: 'upsert',
      id: COUPON,
      data: { code: COUPON, title: 'ご来店感謝 500円引き', discount: { type: 'amount', value: 500 }, validFrom: ago(10), validTo: new Date(Date.now() + 10 * DAY).toISOString(), maxRedemptions: 1, stackable: false },
    },
  ])
  app = await startApp({ staff: 'locked', config: { connector: { kind: 'http', endpoint: server.url, token: 'test-token' } } })
})

afterAll(async () => {
  await app?.close()
  await server?.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('a sale at the counter, written back to the shared profile', () => {
  it('signs in with a staff badge and a PIN (a wrong PIN is refused with a reason)', async () => {
    const { page } = app
    await page.getByTestId('sign-in').waitFor()
    // The locked register reads no member codes.
    await wedgeScan(page, 'M0000001')
    expect(await page.getByTestId('customer-card').count()).toBe(0)
    await wedgeScan(page, ASSOCIATE.staffId)
    await expect.poll(() => page.getByTestId('staff-id').inputValue()).toBe(ASSOCIATE.staffId)
    await page.getByTestId('staff-pin').fill('0000')
    await page.getByTestId('sign-in-submit').click()
    await expect.poll(() => page.getByTestId('sign-in-error').textContent()).toContain('PIN')
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'sign-in.png'), animations: 'disabled' })
    await page.getByTestId('staff-pin').fill(ASSOCIATE.pin)
    await page.getByTestId('sign-in-submit').click()
    await expect.poll(() => page.getByTestId('signed-in-staff').textContent()).toContain(ASSOCIATE.name)
  })

  it('rings up a member, two scanned products, an accepted suggestion and a coupon, and finishes', async () => {
    const { page, musubi } = app
    await wedgeScan(page, 'M0000001')
    await expect.poll(() => page.getByTestId('customer-card').getAttribute('data-member-id')).toBe('M0000001')
    await expect.poll(() => page.getByTestId('sale-member').textContent()).toContain('山田 太郎')

    await wedgeScan(page, SOCKS.barcode)
    await expect.poll(() => page.getByTestId('sale-line').count()).toBe(1)
    await wedgeScan(page, SHOES.barcode)
    await expect.poll(() => page.getByTestId('sale-line').count()).toBe(2)

    const suggestion = page.locator(`[data-testid="suggestion"][data-sku="${CAP.sku}"]`)
    await suggestion.getByTestId('accept-suggestion').click()
    await expect.poll(() => page.getByTestId('sale-line').count()).toBe(3)

    await page.locator(`[data-testid="coupon"][data-code="${COUPON}"]`).getByTestId('apply-coupon').click()
    await expect.poll(() => page.locator(`[data-testid="sale-coupon"][data-code="${COUPON}"]`).getAttribute('data-applied')).toBe('true')
    const total = SOCKS.price + SHOES.price + CAP.price - 500
    await expect.poll(() => page.getByTestId('sale-total').textContent()).toBe(`¥${total.toLocaleString('en-US')}`)
    await page.getByTestId('sale-receipt').fill('R-0042')
    await page.getByTestId('sale-receipt').press('Tab')
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'sale-panel.png'), animations: 'disabled' })

    await page.getByTestId('finish-sale').click()
    await expect.poll(() => page.getByTestId('notice').getAttribute('data-notice')).toBe('sale.finishedMember')
    // The next customer does not see this one.
    expect(await page.getByTestId('customer-card').count()).toBe(0)
    expect(await page.getByTestId('sale-line').count()).toBe(0)

    // Recorded here with its outbox row, then pushed: the server holds it once, as the panel showed it.
    const stored = musubi.db.prepare('SELECT body FROM sales').all() as Array<{ body: string }>
    expect(stored).toHaveLength(1)
    const sale = JSON.parse(stored[0]!.body) as Sale
    expect(sale).toMatchObject({ memberId: 'M0000001', staffId: ASSOCIATE.staffId, total, coupons: [COUPON], posReceipt: 'R-0042', suggestionsAccepted: [CAP.sku] })
    expect(sale.suggestionsShown).toContain(CAP.sku)
    expect(sale.lines.map((l) => l.sku).sort()).toEqual([CAP.sku, SHOES.sku, SOCKS.sku].sort())
    await expect.poll(() => server.saleCount(), { timeout: 10_000 }).toBe(1)
    expect(server.sales()[0]!.body).toEqual(sale)
    // Stock here went down at once.
    expect(musubi.db.prepare(`SELECT on_hand FROM inventory WHERE sku = ?`).get(SHOES.sku)).toEqual({ on_hand: 4 })
  })

  it('shows the sale in the timeline as a purchase in this store, one tap away', async () => {
    const { page } = app
    await page.getByTestId('previous-customer').click()
    await expect.poll(() => page.locator('[data-testid="timeline-entry"][data-channel="store"][data-type="purchase"]').count()).toBe(3)
    expect(await page.locator('[data-testid="timeline-entry"][data-channel="store"]').first().textContent()).toContain('Musubi 渋谷店')
  })

  it('refuses the single-use coupon on the next sale, saying why', async () => {
    const { page } = app
    await wedgeScan(page, SOCKS.barcode)
    await expect.poll(() => page.getByTestId('sale-line').count()).toBe(1)
    await wedgeScan(page, COUPON)
    const coupon = page.locator(`[data-testid="sale-coupon"][data-code="${COUPON}"]`)
    await expect.poll(() => coupon.getAttribute('data-applied')).toBe('false')
    expect(await coupon.textContent()).toContain('上限')
    await expect.poll(() => page.getByTestId('notice').getAttribute('data-notice')).toBe('sale.couponNotApplied')
    await expect.poll(() => page.getByTestId('sale-total').textContent()).toBe(`¥${SOCKS.price.toLocaleString('en-US')}`)
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'sale-coupon-refused.png'), animations: 'disabled' })
  })
})
