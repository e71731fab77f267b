// The webcam at the counter, with Chromium's fake camera playing a Y4M video: a member's app QR
// (signed with the register's configured key), then a JAN. The card opens and the product is
// recognised; closing the camera ends its tracks.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDemoConnector, demoSampleMemberId } from '../../electron/services/sync/demo/index.ts'
import type { Product } from '../../shared/records.ts'
import { appQr, signingKey } from '../support/app-qr.ts'
import { renderCode, writeY4m } from '../support/frames/index.ts'
import { startApp, type RunningApp } from './harness.ts'
import { ARTIFACTS_DIR } from './paths.ts'

let dir: string
let app: RunningApp
let product: Product

/** A product of the demo retailer with a JAN, as the feed delivers it. */
async function demoProduct(): Promise<Product> {
  const connector = createDemoConnector({ scale: 0.02 })
  let cursor: string | null = null
  for (;;) {
    const page = await connector.pullChanges(cursor, 2000)
    const found = page.changes.find((c) => c.kind === 'product' && (c.data as Product).barcodes.some((b) => /^49\d{11}$/.test(b)))
    if (found) return found.data as Product
    cursor = page.cursor
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'musubi-camera-'))
  const key = await signingKey('app-2026')
  const token = await appQr(key, demoSampleMemberId, { expiresIn: 600 })
  product = await demoProduct()
  const jan = product.barcodes.find((b) => /^49\d{11}$/.test(b))!
  const video = join(dir, 'codes.y4m')
  // 1.5 s of the QR, then 1.5 s of the JAN; Chromium loops the file.
  writeY4m(video, [...Array(45).fill(renderCode('QRCode', token, { moduleSize: 5 })), ...Array(45).fill(renderCode('EAN-13', jan, { moduleSize: 3 }))])
  app = await startApp({
    config: { memberCodes: { pattern: '^M[0-9]{7,15}$', jwks: { keys: [key.publicJwk] } } },
    permissions: ['camera'],
    extraArgs: ['--js-flags=--expose-gc', '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${video}`],
  })
})

afterAll(async () => {
  await app?.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('the camera', () => {
  it('reads a member app QR and opens the card, then recognises a JAN', async () => {
    const { page } = app
    await page.getByTestId('open-camera').click()
    await page.getByTestId('camera-panel').waitFor()
    await expect.poll(() => page.getByTestId('customer-card').getAttribute('data-member-id'), { timeout: 20_000 }).toBe(demoSampleMemberId)
    const firstDecode = await page.evaluate(() => performance.getEntriesByName('musubi:camera-first-decode')[0]?.duration ?? -1)
    expect(firstDecode).toBeGreaterThan(0)
    console.log(`camera: time to first decode ${firstDecode.toFixed(0)} ms (from opening the camera)`)
    await expect.poll(() => page.getByTestId('notice').getAttribute('data-notice'), { timeout: 20_000 }).toBe('scan.productAdded')
    expect(await page.getByTestId('notice').textContent()).toContain(product.name)
    const fps = await page.getByTestId('camera-fps').textContent()
    console.log(`camera: ${fps} decoded in the page`)
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'camera.png'), animations: 'disabled' })
  })

  it('does not grow memory while it keeps scanning', async () => {
    const { page } = app
    const heap = () =>
      page.evaluate(() => {
        ;(window as unknown as { gc: () => void }).gc()
        return (performance as unknown as { memory: { usedJSHeapSize: number } }).memory.usedJSHeapSize
      })
    await page.waitForTimeout(2000)
    const before = await heap()
    await page.waitForTimeout(10_000)
    const after = await heap()
    console.log(`camera: JS heap ${(before / 1048576).toFixed(1)} MB → ${(after / 1048576).toFixed(1)} MB over 10 s of scanning`)
    expect(after - before).toBeLessThan(8 * 1048576)
  })

  it('ends the camera tracks within a second of closing', async () => {
    const { page } = app
    await page.evaluate(() => {
      const video = document.querySelector<HTMLVideoElement>('[data-testid="camera-video"]')!
      ;(window as unknown as { tracks: MediaStreamTrack[] }).tracks = (video.srcObject as MediaStream).getTracks()
    })
    await page.getByTestId('camera-close').click()
    await page.waitForFunction(() => (window as unknown as { tracks: MediaStreamTrack[] }).tracks.every((t) => t.readyState === 'ended'), undefined, { timeout: 1000 })
    expect(await page.getByTestId('camera-panel').count()).toBe(0)
    expect(app.pageErrors).toEqual([])
  })
})
