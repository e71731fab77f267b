// A register's first run asks for the first manager; the register locks on demand and clears
// the customer; a customer who shows their code after an anonymous sale is attached with one tap.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { demoSampleMemberId } from '../../electron/services/sync/demo/index.ts'
import { startApp, wedgeScan, type RunningApp } from './harness.ts'
import { ARTIFACTS_DIR } from './paths.ts'

mkdirSync(ARTIFACTS_DIR, { recursive: true })
let app: RunningApp

beforeAll(async () => {
  app = await startApp({ staff: 'fresh' })
})

afterAll(async () => {
  await app?.close()
})

describe('staff at a new register', () => {
  it('asks for the first manager on the first run', async () => {
    const { page } = app
    await page.getByTestId('staff-name').waitFor()
    await page.getByTestId('staff-id').fill('S0001')
    await page.getByTestId('staff-name').fill('店長 一郎')
    await page.getByTestId('staff-pin').fill('2468')
    await page.getByTestId('staff-pin-again').fill('2469')
    await page.getByTestId('sign-in-submit').click()
    await expect.poll(() => page.getByTestId('sign-in-error').textContent()).toBe('PINが一致しません。')
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'first-manager.png'), animations: 'disabled' })
    await page.getByTestId('staff-pin').fill('2468')
    await page.getByTestId('staff-pin-again').fill('2468')
    await page.getByTestId('sign-in-submit').click()
    await page.getByTestId('counter').waitFor()
    expect(await page.getByTestId('signed-in-staff').textContent()).toContain('店長 一郎')
  })

  it('attaches the customer who shows their code just after an anonymous sale, with one tap', async () => {
    const { page, musubi } = app
    const sku = (musubi.db.prepare(`SELECT p.sku FROM products AS p JOIN inventory AS i ON i.sku = p.sku AND i.on_hand > 0 WHERE p.active = 1 LIMIT 1`).get() as { sku: string }).sku
    await page.getByTestId('sale-search').fill(sku)
    await page.locator(`[data-testid="sale-hit"][data-sku="${sku}"]`).click()
    await expect.poll(() => page.getByTestId('sale-line').count()).toBe(1)
    await page.keyboard.press('F10')
    await expect.poll(() => page.getByTestId('notice').getAttribute('data-notice')).toBe('sale.finished')
    await wedgeScan(page, demoSampleMemberId)
    await page.getByTestId('attach-last-sale').click()
    await expect.poll(() => page.getByTestId('notice').getAttribute('data-notice')).toBe('sale.attached')
    const sale = musubi.db.prepare('SELECT member_id FROM sales').get() as { member_id: string }
    expect(sale.member_id).toBe(demoSampleMemberId)
    await expect.poll(() => page.locator('[data-testid="timeline-entry"][data-channel="store"]').count()).toBeGreaterThan(0)
    expect(await page.getByTestId('attach-last-sale').count()).toBe(0)
  })

  it('locks on demand: the customer leaves the screen and the next person signs in', async () => {
    const { page } = app
    await page.getByTestId('lock').click()
    await page.getByTestId('sign-in').waitFor()
    expect(await page.getByTestId('customer-card').count()).toBe(0)
    await page.getByTestId('staff-id').fill('S0001')
    await page.getByTestId('staff-pin').fill('2468')
    await page.getByTestId('sign-in-submit').click()
    await page.getByTestId('counter').waitFor()
    expect(await page.getByTestId('customer-card').count()).toBe(0)
  })

  it('locked on a manager page, goes back to the counter: its sign-in reads a badge, and the next person starts there', async () => {
    const { page } = app
    await page.getByTestId('open-manager').click()
    await page.getByTestId('day-page').waitFor()
    // As the idle lock does (that one arrives with the next session poll).
    await page.getByTestId('lock').click()
    await page.getByTestId('sign-in').waitFor()
    await wedgeScan(page, 'S0001')
    await expect.poll(() => page.getByTestId('staff-id').inputValue()).toBe('S0001')
    await page.getByTestId('staff-pin').fill('2468')
    await page.getByTestId('sign-in-submit').click()
    await page.getByTestId('counter').waitFor()
    expect(await page.getByTestId('manager').count()).toBe(0)
  })
})
