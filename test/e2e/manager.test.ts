// The manager pages: an associate asks a manager to sign in over them; a sale the profile service
// refused is shown with why and discarded with a reason; the audit log shows it and exports CSV;
// the manager adds staff. Against the test profile server.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startProfileServer, type ProfileServer } from '../support/profile-server/server.ts'
import { sale } from '../support/sale.ts'
import { MANAGER } from '../support/staff.ts'
import { localDate, localHour } from '../../shared/time/zone.ts'
import { startApp, type RunningApp } from './harness.ts'
import { ARTIFACTS_DIR } from './paths.ts'

mkdirSync(ARTIFACTS_DIR, { recursive: true })
let dir: string
let server: ProfileServer
let app: RunningApp
const refused = sale()

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'musubi-e2e-manager-'))
  server = await startProfileServer({ dbFile: join(dir, 'profile.db') })
  server.addChanges([{ kind: 'store', op: 'upsert', id: 'S001', data: { storeId: 'S001', name: 'Musubi 渋谷店' } }])
  // Another register already used this sale's key with another body: ours is refused (422).
  const answer = await fetch(`${server.url}/v1/sales`, {
    method: 'POST',
    headers: { authorization: 'Bearer test-token', 'content-type': 'application/json', 'idempotency-key': refused.saleId, 'x-musubi-store': 'S001', 'x-musubi-device': 'REG-99' },
    body: JSON.stringify({ ...refused, deviceId: 'REG-99' }),
  })
  expect(answer.status).toBe(201)
  app = await startApp({ config: { connector: { kind: 'http', endpoint: server.url, token: 'test-token' } } })
  app.musubi.recordSale(refused)
  await app.musubi.sync.runRound().catch(() => undefined)
})

afterAll(async () => {
  await app?.close()
  await server?.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('the manager pages', () => {
  it('ask an associate for a manager’s PIN first', async () => {
    const { page } = app
    await expect.poll(() => page.getByTestId('sales-failed').count()).toBe(1)
    await page.getByTestId('open-manager').click()
    await page.getByTestId('override').waitFor()
    await page.getByTestId('override-id').fill(MANAGER.staffId)
    await page.getByTestId('override-pin').fill('0000')
    await page.getByTestId('override-submit').click()
    await expect.poll(() => page.getByTestId('override-error').textContent()).toBe('スタッフIDまたはPINが違います。')
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'manager-override.png'), animations: 'disabled' })
    await page.getByTestId('override-pin').fill(MANAGER.pin)
    await page.getByTestId('override-submit').click()
    await page.getByTestId('parked-page').waitFor()
    // The top bar says a manager signed in over the associate.
    expect(await page.getByTestId('manager-override').textContent()).toContain('店長 一郎')
  })

  it('show a refused sale with the server’s reason and its body, and discard it with a reason', async () => {
    const { page, musubi } = app
    const row = page.locator(`[data-testid="parked-row"][data-sale-id="${refused.saleId}"]`)
    await row.waitFor()
    expect(await row.getByTestId('parked-reason').textContent()).toContain('顧客プロファイルが受け付けませんでした')
    expect(await row.getByTestId('parked-detail').textContent()).toContain('different body')
    await row.getByTestId('show-body').click()
    expect(JSON.parse((await page.getByTestId('parked-body').textContent())!)).toEqual(refused)
    const download = page.waitForEvent('download')
    await page.getByTestId('export-parked').click()
    const exported = JSON.parse(readFileSync((await (await download).path())!, 'utf8')) as Array<{ saleId: string }>
    expect(exported.map((p) => p.saleId)).toEqual([refused.saleId])
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'manager-parked.png'), animations: 'disabled' })

    await row.getByTestId('discard-parked').click()
    await page.getByTestId('discard-reason').fill('x')
    await page.getByTestId('discard-confirm').click()
    await expect.poll(() => page.getByTestId('parked-error').textContent()).toContain('3')
    await page.getByTestId('discard-reason').fill('本部で手入力済み')
    await page.getByTestId('discard-confirm').click()
    await page.getByTestId('parked-empty').waitFor()
    await expect.poll(() => page.getByTestId('sales-failed').count()).toBe(0)
    expect(musubi.db.prepare('SELECT discard_reason FROM sales WHERE sale_id = ?').get(refused.saleId)).toEqual({ discard_reason: '本部で手入力済み' })
  })

  it('show the audit log and export it as CSV', async () => {
    const { page } = app
    await page.getByTestId('tab-audit').click()
    await page.getByTestId('audit-page').waitFor()
    const actions = await page.getByTestId('audit-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')))
    expect(actions.slice(0, 3)).toEqual(['sale_discarded', 'parked_exported', 'manager_override'])
    expect(await page.locator('[data-testid="audit-row"][data-action="sale_discarded"]').textContent()).toContain('店長 一郎')
    // The detail reads as labelled words, not as the JSON recorded (which the CSV keeps).
    expect(await page.locator('[data-testid="audit-row"][data-action="signed_out"] [data-testid="audit-detail"]').first().textContent()).toBe('理由別のスタッフがサインイン')
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'manager-audit.png'), animations: 'disabled' })
    const download = page.waitForEvent('download')
    await page.getByTestId('export-audit').click()
    const file = await download
    expect(file.suggestedFilename()).toMatch(/^musubi-audit-\d{8}\.csv$/)
    const csv = readFileSync((await file.path())!, 'utf8')
    expect(csv.startsWith('\uFEFFseq,at,device_id,staff_id,staff_name,action,subject,detail\r\n')).toBe(true)
    expect(csv).toContain('sale_discarded')
  })

  it('add an associate and reset a PIN', async () => {
    const { page } = app
    await page.getByTestId('tab-staff').click()
    await page.getByTestId('staff-page').waitFor()
    await page.getByTestId('new-staff-id').fill('S2002')
    await page.getByTestId('new-staff-name').fill('高橋 健')
    await page.getByTestId('new-staff-pin').fill('5678')
    await page.getByTestId('new-staff-pin-again').fill('5679')
    await page.getByTestId('new-staff-submit').click()
    await expect.poll(() => page.getByTestId('staff-error').textContent()).toBe('PINが一致しません。')
    await page.getByTestId('new-staff-pin-again').fill('5678')
    await page.getByTestId('new-staff-submit').click()
    await page.locator('[data-testid="staff-row"][data-staff-id="S2002"]').waitFor()
    const row = page.locator('[data-testid="staff-row"][data-staff-id="S2002"]')
    await row.getByTestId('reset-pin').click()
    await page.getByTestId('reset-pin-value').fill('8642')
    await page.getByTestId('reset-pin-again').fill('8642')
    await page.getByTestId('reset-pin-confirm').click()
    await expect.poll(() => page.getByTestId('staff-done').textContent()).toContain('S2002')
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'manager-staff.png'), animations: 'disabled' })
    expect(await page.locator('[data-testid="staff-row"][data-staff-id="S2002"]').textContent()).toContain('販売員')
  })

  it('page the audit log back 100 entries at a time', async () => {
    const { page, musubi } = app
    const insert = musubi.db.prepare("INSERT INTO audit_log (at, device_id, staff_id, action, subject, detail) VALUES (?, 'REG-01', 'S1001', 'card_opened', ?, NULL)")
    for (let i = 0; i < 150; i++) insert.run(new Date().toISOString(), `M${String(i).padStart(5, '0')}`)
    const total = (musubi.db.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n
    await page.getByTestId('tab-audit').click()
    await expect.poll(() => page.getByTestId('audit-row').count()).toBe(100)
    expect(await page.getByTestId('audit-row').first().textContent()).toContain('お客様カードを表示')
    await page.getByTestId('audit-older').click()
    await expect.poll(() => page.getByTestId('audit-row').count()).toBe(total)
    expect(await page.getByTestId('audit-older').count()).toBe(0)
    const seqs = await page.getByTestId('audit-row').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-seq'))))
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a))
    expect(new Set(seqs).size).toBe(total)
  })

  it('show the day at this register, hour by hour and by associate, and export its sales as CSV', async () => {
    const { page } = app
    await page.getByTestId('tab-day').click()
    await page.getByTestId('day-page').waitFor()
    // The refused sale was recorded here (and discarded upstream): it was still sold at this counter.
    const at = Date.parse(refused.at)
    await page.getByTestId('day-date').fill(localDate(at, 'Asia/Tokyo'))
    await expect.poll(() => page.getByTestId('tile-sales').textContent()).toContain('¥7,880')
    expect(await page.getByTestId('tile-identified').textContent()).toContain('0%')
    const hour = page.locator(`[data-testid="hour-bar"][data-hour="${localHour(at, 'Asia/Tokyo')}"]`)
    expect(await hour.getAttribute('data-sales')).toBe('1')
    // Its numbers on hover, and on a tap for a touch screen.
    await hour.click()
    expect(await page.getByTestId('hour-caption').textContent()).toContain('1件（会員 0件）¥7,880')
    // Associates by their day's sales; the one who sold it first.
    const first = page.getByTestId('staff-bar').first()
    expect(await first.getAttribute('data-staff-id')).toBe(MANAGER.staffId)
    expect(await first.textContent()).toContain('¥7,880')
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'manager-day.png'), animations: 'disabled' })
    const download = page.waitForEvent('download')
    await page.getByTestId('export-day').click()
    const file = await download
    expect(file.suggestedFilename()).toMatch(/^musubi-day-\d{8}\.csv$/)
    const rows = readFileSync((await file.path())!, 'utf8').replace(/^\uFEFF/, '').trimEnd().split('\r\n')
    expect(rows).toHaveLength(2)
    expect(rows[1]!.startsWith(`${refused.saleId},`)).toBe(true)
    // Today has no day after it; the day before comes one tap away.
    expect(await page.getByTestId('day-after').isDisabled()).toBe(true)
    await page.getByTestId('day-before').click()
    await expect.poll(() => page.getByTestId('day-date').inputValue()).toBe(localDate(at - 86_400_000, 'Asia/Tokyo'))
    expect(await page.getByTestId('day-after').isDisabled()).toBe(false)
    // A day before anything was recorded says so.
    await page.getByTestId('day-date').fill('2020-01-01')
    await page.getByTestId('day-empty').waitFor()
  })

  it('go back to the counter on Esc, and the manager steps back', async () => {
    const { page, musubi } = app
    expect((await musubi.api.staff.session()).manager?.staffId).toBe(MANAGER.staffId)
    await page.keyboard.press('Escape')
    await page.getByTestId('counter').waitFor()
    await expect.poll(async () => (await musubi.api.staff.session()).manager).toBeNull()
    expect((await musubi.api.staff.session()).staff?.role).toBe('associate')
    // The next visit asks for a manager again.
    await page.getByTestId('open-manager').click()
    await page.getByTestId('override').waitFor()
    await page.getByTestId('manager-back').click()
    await page.getByTestId('counter').waitFor()
    // The PIN the manager set signs the new associate in.
    expect((await musubi.api.staff.signIn('S2002', '8642')).staff?.name).toBe('高橋 健')
  })
})
