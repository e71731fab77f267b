// The counter on a 1024×768 POS monitor: two columns (the customer with their suggestions, and the
// sale), a top bar that does not wrap, and the sale's button where it always is.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApp, wedgeScan, type RunningApp } from './harness.ts'
import { ARTIFACTS_DIR } from './paths.ts'

mkdirSync(ARTIFACTS_DIR, { recursive: true })

let app: RunningApp

beforeAll(async () => {
  app = await startApp({ viewport: { width: 1024, height: 768 } })
})

afterAll(async () => {
  await app?.close()
})

describe('the counter on a 1024×768 screen', () => {
  it('puts the suggestions under the customer, keeps the sale beside them and the bar on one line', async () => {
    const { page } = app
    await wedgeScan(page, 'M0000001')
    await expect.poll(() => page.getByTestId('customer-card').getAttribute('data-member-id')).toBe('M0000001')
    expect(await page.locator('.grid').getAttribute('data-layout')).toBe('narrow')
    await page.getByTestId('suggestion').first().waitFor()
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'counter-1024.png'), animations: 'disabled' })

    const card = (await page.getByTestId('customer-card').boundingBox())!
    const suggestions = (await page.getByTestId('suggestions').boundingBox())!
    const sale = (await page.getByTestId('finish-sale').boundingBox())!
    // Suggestions under the card, in its column; the sale's button in the right column, on screen.
    expect(suggestions.y).toBeGreaterThan(card.y + card.height - 1)
    expect(Math.abs(suggestions.x - card.x)).toBeLessThan(2)
    expect(sale.x).toBeGreaterThan(card.x + card.width)
    expect(sale.y + sale.height).toBeLessThanOrEqual(768)
    // Nothing wider than the window, and nothing in the top bar on a second line.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1024)
    const bar = await page.locator('header.topbar').evaluate((header) => {
      const box = header.getBoundingClientRect()
      return [...header.children].filter((el) => el.getBoundingClientRect().bottom > box.bottom + 1).map((el) => el.className)
    })
    expect(bar).toEqual([])
    // The suggestion's name has the row's width, not a few letters.
    expect(await page.getByTestId('suggestion').first().locator('.name').evaluate((el) => el.getBoundingClientRect().width)).toBeGreaterThan(200)
  })
})
