// The counter over a real profile service (the test server) that goes away and comes back:
// the state is shown, the counter keeps working from the cache, sales wait and then go.
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startProfileServer, type ProfileServer } from '../support/profile-server/server.ts'
import { customer, event, product } from '../support/fixtures.ts'
import { startApp, wedgeScan, type RunningApp } from './harness.ts'
import { ARTIFACTS_DIR } from './paths.ts'

let dir: string
let server: ProfileServer
let app: RunningApp

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'musubi-e2e-http-'))
  server = await startProfileServer({ dbFile: join(dir, 'profile.db') })
  server.addChanges([
    { kind: 'store', op: 'upsert', id: 'S001', data: { storeId: 'S001', name: 'Musubi 渋谷店' } },
    { kind: 'product', op: 'upsert', id: 'SKU-1', data: product('SKU-1') },
    { kind: 'customer', op: 'upsert', id: 'M0000001', data: customer('M0000001') },
    { kind: 'event', op: 'upsert', id: 'e1', data: event('e1') },
  ])
  app = await startApp({ config: { connector: { kind: 'http', endpoint: server.url, token: 'test-token' } } })
})

afterAll(async () => {
  await app?.close()
  await server?.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('offline and back', () => {
  it('is online with no DEMO badge against a real profile service', async () => {
    const { page } = app
    await expect.poll(() => page.getByTestId('sync-indicator').getAttribute('data-state')).toBe('idle')
    expect(await page.getByTestId('demo-badge').count()).toBe(0)
  })

  it('shows offline, keeps the counter working from the cache, and keeps sales waiting', async () => {
    const { page, musubi } = app
    await server.close()
    await page.getByTestId('sync-now').click()
    await expect.poll(() => page.getByTestId('sync-indicator').getAttribute('data-state')).toBe('offline')
    await wedgeScan(page, 'M0000001')
    await expect.poll(() => page.getByTestId('customer-card').getAttribute('data-member-id')).toBe('M0000001')
    musubi.recordSale({
      saleId: randomUUID(),
      storeId: 'S001',
      deviceId: 'REG-01',
      staffId: 'S0001',
      memberId: 'M0000001',
      at: new Date().toISOString(),
      currency: 'JPY',
      lines: [{ sku: 'SKU-1', qty: 1, unitPrice: 1490, discount: 0 }],
      coupons: [],
      total: 1490,
      suggestionsShown: [],
      suggestionsAccepted: [],
    })
    await page.getByTestId('sync-now').click()
    await expect.poll(() => page.getByTestId('sales-waiting').textContent()).toContain('1')
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'counter-offline.png'), animations: 'disabled' })
    // The "order online" badge is long; it must wrap rather than squeeze the product's name.
    const name = await page.getByTestId('suggestion').first().locator('.name').evaluate((el) => el.getBoundingClientRect().width)
    expect(name).toBeGreaterThan(120)
  })

  it('sends the waiting sale once the service is back', async () => {
    const { page } = app
    server = await startProfileServer({ dbFile: join(dir, 'profile.db'), port: Number(new URL(server.url).port) })
    await page.getByTestId('sync-now').click()
    await expect.poll(() => page.getByTestId('sync-indicator').getAttribute('data-state'), { timeout: 15_000 }).toBe('idle')
    await expect.poll(() => page.getByTestId('sales-waiting').count()).toBe(0)
    expect(server.saleCount()).toBe(1)
  })
})
