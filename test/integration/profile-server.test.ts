// The reference Profile API server (test/support/profile-server) against profile-api.md, through
// plain fetch as any client would see it.
import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startProfileServer, type ProfileServer } from '../support/profile-server/server.ts'

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
const auth = { authorization: 'Bearer test-token', 'x-musubi-store': 'S001', 'x-musubi-device': 'REG-01' }

type Line = { sku: string; qty: number; unitPrice: number; discount: number }
type SaleBody = {
  saleId: string
  storeId: string
  deviceId: string
  staffId: string
  memberId?: string
  at: string
  currency: string
  lines: Line[]
  coupons: string[]
  total: number
  suggestionsShown: string[]
  suggestionsAccepted: string[]
}
type Page = { changes: Array<{ kind: string; op: string; id: string; data?: Record<string, unknown> }>; cursor: string; hasMore: boolean }

function sale(overrides: Partial<SaleBody> = {}): SaleBody {
  const lines = overrides.lines ?? [
    { sku: 'SKU-1', qty: 2, unitPrice: 1490, discount: 100 },
    { sku: 'SKU-2', qty: 1, unitPrice: 5000, discount: 0 },
  ]
  return {
    saleId: randomUUID(),
    storeId: 'S001',
    deviceId: 'REG-01',
    staffId: 'S0001',
    at: '2026-11-20T05:00:00.000Z',
    currency: 'JPY',
    lines,
    coupons: [],
    total: lines.reduce((sum, l) => sum + l.qty * l.unitPrice - l.discount, 0),
    suggestionsShown: [],
    suggestionsAccepted: [],
    ...overrides,
  }
}

const customer = (memberId: string, displayName = '山田 太郎') => ({
  memberId,
  displayName,
  tags: ['runner'],
  consent: { personalization: true },
  updatedAt: '2026-11-01T00:00:00.000Z',
})
const event = (id: string, memberId: string, at: string, extra: Record<string, unknown> = {}) => ({
  id,
  memberId,
  type: 'view',
  channel: 'web',
  sku: 'SKU-1',
  at,
  ...extra,
})

let dir: string
let server: ProfileServer

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'musubi-profile-server-'))
  server = await startProfileServer({ dbFile: join(dir, 'profile.db') })
})
afterAll(async () => {
  await server.close()
  rmSync(dir, { recursive: true, force: true })
})
afterEach(() => server.setFaults({ failRate: 0, duplicateChanges: false }))

async function get(path: string, headers: Record<string, string> = auth): Promise<Response> {
  return fetch(server.url + path, { headers })
}

async function post(path: string, body: unknown, key: string | null, headers: Record<string, string> = auth): Promise<Response> {
  const h: Record<string, string> = { ...headers, 'content-type': 'application/json' }
  if (key !== null) h['idempotency-key'] = key
  return fetch(server.url + path, { method: 'POST', headers: h, body: typeof body === 'string' ? body : JSON.stringify(body) })
}

/** Pulls the whole feed from `cursor`, page by page. */
async function pullAll(limit: number, cursor?: string): Promise<{ pages: Page[]; cursor: string | undefined }> {
  const pages: Page[] = []
  for (;;) {
    const query = new URLSearchParams({ limit: String(limit), ...(cursor === undefined ? {} : { cursor }) })
    const res = await get(`/v1/changes?${query}`)
    expect(res.status).toBe(200)
    const page = (await res.json()) as Page
    pages.push(page)
    cursor = page.cursor
    if (!page.hasMore) return { pages, cursor }
    expect(pages.length).toBeLessThan(10_000)
  }
}

describe('every call', () => {
  it('refuses a missing or wrong token with 401 JSON, and answers with a Date header', async () => {
    const missing = await get('/v1/changes', { 'x-musubi-store': 'S001', 'x-musubi-device': 'REG-01' })
    expect(missing.status).toBe(401)
    expect(((await missing.json()) as { error: string }).error).toMatch(/Authorization/)
    const wrong = await get('/v1/changes', { ...auth, authorization: 'Bearer nope' })
    expect(wrong.status).toBe(401)
    expect(await wrong.json()).toHaveProperty('error')
    expect(wrong.headers.get('date')).toBeTruthy()
    const sale401 = await post('/v1/sales', sale(), randomUUID(), { ...auth, authorization: 'Basic x' })
    expect(sale401.status).toBe(401)
  })

  it('needs X-Musubi-Store and X-Musubi-Device; unknown paths are 404, wrong methods 405', async () => {
    expect((await get('/v1/changes', { authorization: auth.authorization, 'x-musubi-store': 'S001' })).status).toBe(400)
    expect((await get('/v1/nothing')).status).toBe(404)
    expect((await get('/v1/changes/')).status).toBe(404)
    const wrongMethod = await post('/v1/changes', {}, null)
    expect(wrongMethod.status).toBe(405)
    expect(wrongMethod.headers.get('allow')).toBe('GET')
    expect((await get('/v1/sales')).status).toBe(405)
  })
})

describe('GET /v1/changes', () => {
  it('pages in commit order with cursor and hasMore, and carries deletes without data', async () => {
    const start = (await pullAll(5000)).cursor
    // Not in id order (a page is in commit order, whatever SQLite would otherwise pick), and ids
    // that JSON must escape.
    const ids = Array.from({ length: 25 }, (_, i) => `M${String((i * 7) % 25).padStart(7, '0')}`)
    ids[3] = 'M"quote\\back\tslash'
    ids[4] = 'M会員\u0001'
    server.addChanges(ids.map((id) => ({ kind: 'customer', op: 'upsert', id, data: customer(id) })))
    server.addChanges([{ kind: 'product', op: 'delete', id: 'SKU-GONE' }])
    const { pages, cursor } = await pullAll(10, start)
    expect(pages.map((p) => [p.changes.length, p.hasMore])).toEqual([
      [10, true],
      [10, true],
      [6, false],
    ])
    const got = pages.flatMap((p) => p.changes)
    expect(got.slice(0, 25).map((c) => c.id)).toEqual(ids)
    expect(got[0]).toEqual({ kind: 'customer', op: 'upsert', id: ids[0], data: customer(ids[0]!) })
    expect(got[25]).toEqual({ kind: 'product', op: 'delete', id: 'SKU-GONE' })
    // At the end: an empty page, the same position; a later change comes next.
    const end = (await pullAll(10, cursor)).pages
    expect(end).toHaveLength(1)
    expect(end[0]!.changes).toEqual([])
    server.addChanges([{ kind: 'store', op: 'upsert', id: 'S001', data: { storeId: 'S001', name: '渋谷店' } }])
    expect((await pullAll(10, cursor)).pages[0]!.changes.map((c) => c.id)).toEqual(['S001'])
  })

  it('takes limit 1..5000 (default 1000) and refuses anything else, and a malformed cursor, with 400', async () => {
    for (const limit of ['0', '5001', 'abc', '1.5', '-1', '']) {
      const res = await get(`/v1/changes?limit=${limit}`)
      expect(res.status, `limit=${limit}`).toBe(400)
      expect(await res.json()).toHaveProperty('error')
    }
    expect((await get('/v1/changes?limit=1')).status).toBe(200)
    expect((await get('/v1/changes?limit=5000')).status).toBe(200)
    server.addChanges(Array.from({ length: 1100 }, (_, i) => ({ kind: 'product', op: 'delete' as const, id: `P${i}` })))
    const first = (await (await get('/v1/changes')).json()) as Page
    expect(first.changes).toHaveLength(1000)
    expect(first.hasMore).toBe(true)
    for (const cursor of ['not-a-cursor!', 'Zm9v', Buffer.from('v1:12').toString('base64url')]) {
      expect((await get(`/v1/changes?cursor=${encodeURIComponent(cursor)}`)).status, cursor).toBe(400)
    }
  })

  it('answers 410 to a cursor issued before expireCursorsBefore, and a full sync after it works', async () => {
    const { cursor } = await pullAll(5000)
    server.addChanges([{ kind: 'product', op: 'delete', id: 'SKU-X' }])
    expect((await get(`/v1/changes?cursor=${cursor}`)).status).toBe(200)
    server.expireCursorsBefore(Number.MAX_SAFE_INTEGER)
    const gone = await get(`/v1/changes?cursor=${cursor}`)
    expect(gone.status).toBe(410)
    expect(await gone.json()).toHaveProperty('error')
    // The full sync's own cursors were issued after the expiry: they page to the end.
    const full = await pullAll(500)
    expect(full.pages.length).toBeGreaterThan(1)
    expect((await get(`/v1/changes?cursor=${full.cursor}`)).status).toBe(200)
  })
})

describe('POST /v1/sales', () => {
  it('stores a sale once: 201, then 200 with the same body for an equal JSON body', async () => {
    const before = server.saleCount()
    const body = sale()
    const first = await post('/v1/sales', body, body.saleId)
    expect(first.status).toBe(201)
    const answer = (await first.json()) as { saleId: string; receivedAt: string }
    expect(answer.saleId).toBe(body.saleId)
    expect(Number.isNaN(Date.parse(answer.receivedAt))).toBe(false)
    const replay = await post('/v1/sales', body, body.saleId)
    expect(replay.status).toBe(200)
    expect(await replay.json()).toEqual(answer)
    // The same JSON value in other bytes (keys reordered, spaces) is still a replay.
    const reordered = JSON.stringify(Object.fromEntries(Object.entries(body).reverse()), null, 2)
    const again = await post('/v1/sales', reordered, body.saleId)
    expect(again.status).toBe(200)
    expect(await again.json()).toEqual(answer)
    expect(server.saleCount()).toBe(before + 1)
    const stored = server.sales().find((s) => s.saleId === body.saleId)
    expect(stored).toEqual({ saleId: body.saleId, body, receivedAt: answer.receivedAt, memberId: null })
  })

  it('refuses with 422: a different body for a used key, wrong store, wrong total, key ≠ saleId, invalid', async () => {
    const body = sale()
    expect((await post('/v1/sales', body, body.saleId)).status).toBe(201)
    const cases: Array<[string, unknown, string | null, RegExp]> = [
      ['different body', { ...body, staffId: 'S0002' }, body.saleId, /different body/],
      ['wrong store', sale({ storeId: 'S002' }), null, /storeId/],
      ['wrong total', { ...sale(), total: 1 }, null, /total/],
      ['key ≠ saleId', sale(), randomUUID(), /Idempotency-Key/],
      ['no key', sale(), 'omit', /Idempotency-Key/],
      ['not a sale', { saleId: 'x' }, 'x', /invalid sale/],
      ['not JSON', '{"saleId":', 'k', /not JSON/],
    ]
    const before = server.saleCount()
    for (const [name, value, key, message] of cases) {
      const saleId = (value as { saleId?: string }).saleId ?? 'k'
      const res = await post('/v1/sales', value, key === 'omit' ? null : (key ?? saleId))
      expect(res.status, name).toBe(422)
      expect(((await res.json()) as { error: string }).error, name).toMatch(message)
    }
    expect(server.saleCount()).toBe(before)
    // A register of another store is not authorized to send sales here.
    const other = sale({ storeId: 'S002' })
    expect((await post('/v1/sales', other, other.saleId, { ...auth, 'x-musubi-store': 'S002' })).status).toBe(403)
  })

  it("appends a member's sale's purchase and coupon events to the feed with the right ids, and none for an anonymous sale", async () => {
    const { cursor } = await pullAll(5000)
    const anonymous = sale({ coupons: ['WELCOME10'] })
    const member = sale({ memberId: 'M0000042', coupons: ['WELCOME10'] })
    expect((await post('/v1/sales', anonymous, anonymous.saleId)).status).toBe(201)
    expect((await post('/v1/sales', member, member.saleId)).status).toBe(201)
    const changes = (await pullAll(5000, cursor)).pages.flatMap((p) => p.changes)
    expect(changes.map((c) => [c.kind, c.op, c.id])).toEqual([
      ['event', 'upsert', `${member.saleId}:0`],
      ['event', 'upsert', `${member.saleId}:1`],
      ['event', 'upsert', `${member.saleId}:coupon:WELCOME10`],
    ])
    const common = { memberId: 'M0000042', channel: 'store', orderId: member.saleId, storeId: 'S001', at: member.at }
    expect(changes[0]!.data).toEqual({ id: `${member.saleId}:0`, type: 'purchase', sku: 'SKU-1', qty: 2, price: 1490, ...common })
    expect(changes[2]!.data).toEqual({ id: `${member.saleId}:coupon:WELCOME10`, type: 'coupon_redeemed', couponCode: 'WELCOME10', ...common })
  })
})

describe('POST /v1/sales/{saleId}/member', () => {
  it('attaches once (201, then 200), refuses another member or body (422), and 404s an unknown sale', async () => {
    const body = sale()
    expect((await post('/v1/sales', body, body.saleId)).status).toBe(201)
    const { cursor } = await pullAll(5000)
    const path = `/v1/sales/${body.saleId}/member`
    const attach = { memberId: 'M0000077', staffId: 'S0001', at: '2026-11-20T05:03:00.000Z' }
    const first = await post(path, attach, `${body.saleId}:member`)
    expect(first.status).toBe(201)
    expect(await first.json()).toEqual({ saleId: body.saleId, memberId: 'M0000077' })
    const replay = await post(path, { at: attach.at, staffId: attach.staffId, memberId: attach.memberId }, `${body.saleId}:member`)
    expect(replay.status).toBe(200)
    expect(await replay.json()).toEqual({ saleId: body.saleId, memberId: 'M0000077' })
    expect((await post(path, { ...attach, memberId: 'M0000078' }, `${body.saleId}:member`)).status).toBe(422)
    expect((await post(path, attach, 'other-key')).status).toBe(422)
    expect(server.sales().find((s) => s.saleId === body.saleId)?.memberId).toBe('M0000077')
    // The sale's events come again, now with the member, under the same ids.
    const again = (await pullAll(5000, cursor)).pages.flatMap((p) => p.changes)
    expect(again.map((c) => [c.id, c.data?.['memberId']])).toEqual([
      [`${body.saleId}:0`, 'M0000077'],
      [`${body.saleId}:1`, 'M0000077'],
    ])

    const unknown = randomUUID()
    expect((await post(`/v1/sales/${unknown}/member`, attach, `${unknown}:member`)).status).toBe(404)
    const withMember = sale({ memberId: 'M0000001' })
    expect((await post('/v1/sales', withMember, withMember.saleId)).status).toBe(201)
    const other = await post(`/v1/sales/${withMember.saleId}/member`, attach, `${withMember.saleId}:member`)
    expect(other.status).toBe(422)
    expect(((await other.json()) as { error: string }).error).toMatch(/another member/)
  })
})

describe('GET /v1/customers/{memberId}', () => {
  it('answers the latest customer and its latest events, newest first (at most 500); 404 otherwise', async () => {
    server.addChanges([
      { kind: 'customer', op: 'upsert', id: 'M0000500', data: customer('M0000500', '旧 名前') },
      { kind: 'event', op: 'upsert', id: 'e1', data: event('e1', 'M0000500', '2026-11-01T00:00:00Z') },
      { kind: 'event', op: 'upsert', id: 'e2', data: event('e2', 'M0000500', '2026-11-03T00:00:00Z') },
      { kind: 'event', op: 'upsert', id: 'e3', data: event('e3', 'M0000500', '2026-11-02T00:00:00Z') },
      { kind: 'event', op: 'upsert', id: 'e1', data: event('e1', 'M0000500', '2026-11-04T00:00:00Z', { type: 'cart' }) },
      { kind: 'event', op: 'delete', id: 'e3' },
      { kind: 'event', op: 'upsert', id: 'e4', data: event('e4', 'M0000999', '2026-11-05T00:00:00Z') },
      { kind: 'customer', op: 'upsert', id: 'M0000500', data: customer('M0000500') },
    ])
    const res = await get('/v1/customers/M0000500')
    expect(res.status).toBe(200)
    const card = (await res.json()) as { customer: unknown; events: Array<{ id: string; type: string }> }
    expect(card.customer).toEqual(customer('M0000500'))
    expect(card.events.map((e) => [e.id, e.type])).toEqual([
      ['e1', 'cart'],
      ['e2', 'view'],
    ])

    expect((await get('/v1/customers/M0404404')).status).toBe(404)
    server.addChanges([{ kind: 'customer', op: 'delete', id: 'M0000500' }])
    expect((await get('/v1/customers/M0000500')).status).toBe(404)

    server.addChanges([
      { kind: 'customer', op: 'upsert', id: 'M0000600', data: customer('M0000600') },
      ...Array.from({ length: 600 }, (_, i) => {
        const at = new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString()
        return { kind: 'event', op: 'upsert' as const, id: `many-${i}`, data: event(`many-${i}`, 'M0000600', at) }
      }),
    ])
    const many = (await (await get('/v1/customers/M0000600')).json()) as { events: Array<{ id: string }> }
    expect(many.events).toHaveLength(500)
    expect(many.events[0]!.id).toBe('many-599')
    expect(many.events[499]!.id).toBe('many-100')
  })
})

describe('faults', () => {
  it('drop: the connection closes without an answer', async () => {
    server.setFaults({ failRate: 1, kinds: ['drop'] })
    await expect(get('/v1/changes')).rejects.toThrow()
    server.setFaults({ failRate: 0 })
    expect((await get('/v1/changes?limit=1')).status).toBe(200)
  })

  it('500 and 429 with Retry-After', async () => {
    server.setFaults({ failRate: 1, kinds: ['500'] })
    expect((await get('/v1/changes')).status).toBe(500)
    server.setFaults({ kinds: ['429'], retryAfterSeconds: 7 })
    const limited = await get('/v1/changes')
    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after')).toBe('7')
  })

  it('store-then-drop: the sale is stored but the answer is lost; the retry is a 200 replay', async () => {
    const body = sale()
    const before = server.saleCount()
    server.setFaults({ failRate: 1, kinds: ['store-then-drop'] })
    await expect(post('/v1/sales', body, body.saleId)).rejects.toThrow()
    expect(server.saleCount()).toBe(before + 1)
    server.setFaults({ failRate: 0 })
    const retry = await post('/v1/sales', body, body.saleId)
    expect(retry.status).toBe(200)
    expect(((await retry.json()) as { saleId: string }).saleId).toBe(body.saleId)
    expect(server.saleCount()).toBe(before + 1)
  })

  it('slow: answers after slowMs (past the client timeout); the same key meanwhile gets 409', async () => {
    const body = sale()
    server.setFaults({ failRate: 1, kinds: ['slow'], slowMs: 400 })
    const timedOut = fetch(`${server.url}/v1/sales`, {
      method: 'POST',
      headers: { ...auth, 'idempotency-key': body.saleId },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(100),
    })
    await expect(timedOut).rejects.toThrow()
    server.setFaults({ failRate: 0 })
    const busy = await post('/v1/sales', body, body.saleId)
    expect(busy.status).toBe(409)
    await new Promise((r) => setTimeout(r, 500))
    expect((await post('/v1/sales', body, body.saleId)).status).toBe(200)
  })

  it('draws faults from a seeded PRNG: the same seed gives the same faults', async () => {
    const statuses = async (): Promise<number[]> => {
      server.setFaults({ failRate: 0.5, kinds: ['500', '429'], seed: 42 })
      const out: number[] = []
      for (let i = 0; i < 20; i++) out.push((await get('/v1/changes?limit=1')).status)
      return out
    }
    const first = await statuses()
    expect(new Set(first)).toEqual(new Set([200, 500, 429]))
    expect(await statuses()).toEqual(first)
    const counted = server.requests()
    expect(counted.faults).toBeGreaterThan(0)
    expect(counted.byPath['/v1/changes']).toBeGreaterThanOrEqual(40)
  })

  it('duplicateChanges: ids repeat on a page and across pages, the cursor still advances to the end', async () => {
    const { cursor } = await pullAll(5000)
    const ids = Array.from({ length: 200 }, (_, i) => `DUP-${i}`)
    server.addChanges(ids.map((id, i) => ({ kind: 'inventory', op: 'upsert', id, data: { id, storeId: 'S001', sku: id, onHand: i } })))
    server.setFaults({ duplicateChanges: true, seed: 7 })
    const { pages } = await pullAll(30, cursor)
    const got = pages.flatMap((p) => p.changes.map((c) => c.id))
    expect(new Set(got.filter((id) => id.startsWith('DUP-')))).toEqual(new Set(ids))
    expect(got[0]).not.toBe('DUP-0') // the first page starts again with changes from before the cursor
    expect(got.length).toBeGreaterThan(new Set(got).size) // repeats
    expect(pages.some((p) => new Set(p.changes.map((c) => c.id)).size < p.changes.length)).toBe(true) // within a page
    expect(pages.slice(1).some((p, i) => p.changes.some((c) => pages[i]!.changes.some((d) => d.id === c.id)))).toBe(true)
    for (const page of pages) expect(page.changes.length).toBeLessThanOrEqual(30)
    // Applied in order, last write wins: every id ends at its latest version.
    const state = new Map<string, unknown>()
    for (const c of pages.flatMap((p) => p.changes)) state.set(c.id, c.data)
    ids.forEach((id, i) => expect(state.get(id)).toEqual({ id, storeId: 'S001', sku: id, onHand: i }))
  })
})

describe('lifecycle', () => {
  it('restart drops open connections, keeps the data and the port', async () => {
    const body = sale()
    expect((await post('/v1/sales', body, body.saleId)).status).toBe(201)
    const url = server.url
    const count = server.saleCount()
    server.setFaults({ failRate: 1, kinds: ['slow'], slowMs: 5000 })
    const hanging = get('/v1/changes?limit=1')
    await new Promise((r) => setTimeout(r, 50))
    await server.restart()
    await expect(hanging).rejects.toThrow()
    server.setFaults({ failRate: 0 })
    expect(server.url).toBe(url)
    expect(server.saleCount()).toBe(count)
    expect((await post('/v1/sales', body, body.saleId)).status).toBe(200)
    expect((await get('/v1/changes?limit=1')).status).toBe(200)
  })

  it('main.ts runs as a process: prints {"url"} when listening and exits cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, ['test/support/profile-server/main.ts', '--db', join(dir, 'child.db'), '--fail-rate', '0'], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)))
    const [line] = await createInterface({ input: child.stdout! })[Symbol.asyncIterator]().next().then((r) => [r.value as string])
    const { url } = JSON.parse(line!) as { url: string }
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const res = await fetch(`${url}/v1/changes`, { headers: auth })
    expect(res.status).toBe(200)
    child.kill('SIGTERM')
    expect(await exited).toBe(0)
  })
})
