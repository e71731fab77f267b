// The register against the reference profile server (test/support/profile-server) over real HTTP:
// the `http` connector, the sync service, the outbox and the CLI, as profile-api.md describes
// them. Every test has its own server (its own SQLite file), config and data folder; faults the
// server cannot aim at one call go through a recording proxy (test/support/fault-proxy.ts).
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { Writable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { doctorChecks, type Check } from '../../electron/cli/doctor.ts'
import { main, type CliIo } from '../../electron/cli/main.ts'
import { unsentOutbox } from '../../electron/services/db/sales.ts'
import { writeSetting } from '../../electron/services/db/settings.ts'
import { readSyncState } from '../../electron/services/db/sync-state.ts'
import { openMusubi, type Musubi } from '../../electron/services/musubi.ts'
import { applyPage } from '../../electron/services/sync/apply.ts'
import type { RawChange, Sale } from '../../shared/records.ts'
import type { CustomerCard, ScanOutcome } from '../../shared/views.ts'
import { forwardTo, startFaultProxy, type FaultProxy, type ProxyAnswer, type ProxyDecision, type ProxyHandler } from '../support/fault-proxy.ts'
import { customer, del, event, product, upsert } from '../support/fixtures.ts'
import { startProfileServer, type ProfileServer, type ProfileServerOptions } from '../support/profile-server/server.ts'
import { sale } from '../support/sale.ts'
import { signInForTests } from '../support/staff.ts'

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
const ENV = { MUSUBI_RETRY_BASE_MS: '5' }
const DAY_MS = 24 * 3600 * 1000
const daysAgo = (days: number): string => new Date(Date.now() - days * DAY_MS).toISOString()
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const nextTick = () => new Promise((resolve) => setImmediate(resolve))

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('until: condition not met in time')
    await sleep(1)
  }
}

// ---------------------------------------------------------------------------------------------
// One register and one server per test

const cleanups: Array<() => unknown> = []
afterEach(async () => {
  // Registered in opening order; closed in reverse (registers, proxy, server, folder).
  while (cleanups.length > 0) await cleanups.pop()!()
})

type Register = { musubi: Musubi; configPath: string; dataDir: string; reopen(): Musubi }

type Setup = {
  dir: string
  server: ProfileServer
  proxy: FaultProxy | null
  /** What the register's config points at: the proxy when there is one, else the server. */
  endpoint: string
} & Register

function writeConfig(path: string, value: unknown): string {
  writeFileSync(path, JSON.stringify(value))
  return path
}

function httpConfig(endpoint: string, extra: Record<string, unknown> = {}) {
  return { storeId: 'S001', deviceId: 'REG-01', connector: { kind: 'http', endpoint, token: 'test-token' }, ...extra }
}

/** A register with its own config file and data folder under `dir`. */
function openRegister(dir: string, name: string, config: unknown): Register {
  const configPath = writeConfig(join(dir, `${name}.json`), config)
  const dataDir = join(dir, `${name}-data`)
  const open = (): Musubi => {
    const musubi = openMusubi({ configPath, dataDir, env: ENV })
    cleanups.push(() => musubi.close())
    signInForTests(musubi.api)
    return musubi
  }
  return { musubi: open(), configPath, dataDir, reopen: open }
}

async function setup(options: { server?: Partial<ProfileServerOptions>; proxy?: ProxyHandler | true; config?: Record<string, unknown> } = {}): Promise<Setup> {
  const dir = mkdtempSync(join(tmpdir(), 'musubi-http-sync-'))
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
  const server = await startProfileServer({ dbFile: join(dir, 'profile.db'), ...options.server })
  cleanups.push(() => server.close())
  let proxy: FaultProxy | null = null
  if (options.proxy) {
    const started = await startFaultProxy(server.url, options.proxy === true ? undefined : options.proxy)
    cleanups.push(() => started.close())
    proxy = started
  }
  const endpoint = proxy?.url ?? server.url
  return { dir, server, proxy, endpoint, ...openRegister(dir, 'register', httpConfig(endpoint, options.config)) }
}

// ---------------------------------------------------------------------------------------------
// Records on the server

/** Appends to the server's feed; the changes may be malformed on purpose. */
function publish(server: ProfileServer, changes: RawChange[]): void {
  server.addChanges(changes as Parameters<ProfileServer['addChanges']>[0])
}

const M1 = 'M0000001'
const M2 = 'M0000002'

/** A small retailer: two stores, two products with stock, two members and M1's history. */
function seedChanges(): RawChange[] {
  return [
    upsert('store', 'S001', { storeId: 'S001', name: '渋谷店' }),
    upsert('store', 'S002', { storeId: 'S002', name: '梅田店' }),
    upsert('product', 'SKU-1', product('SKU-1', { barcodes: ['4901234567894'] })),
    upsert('product', 'SKU-2', product('SKU-2', { name: 'トレイルシューズ', barcodes: ['4901234567801'], price: 5000, category: ['靴', 'ランニング'] })),
    upsert('inventory', 'S001:SKU-1', { id: 'S001:SKU-1', storeId: 'S001', sku: 'SKU-1', onHand: 7 }),
    // Events may arrive before their customer.
    upsert('event', 'ev-view-1', event('ev-view-1', { memberId: M1, at: daysAgo(3) })),
    upsert('customer', M1, customer(M1, { updatedAt: daysAgo(1) })),
    upsert('customer', M2, customer(M2, { displayName: '佐藤 花子', nameKana: 'サトウ ハナコ', email: 'hanako@example.jp', phone: '080-1111-2222', updatedAt: daysAgo(1) })),
    upsert('event', 'ev-cart-1', event('ev-cart-1', { memberId: M1, type: 'cart', channel: 'app', sku: 'SKU-2', at: daysAgo(2) })),
    upsert('event', 'ev-buy-web', event('ev-buy-web', { memberId: M1, type: 'purchase', sku: 'SKU-2', qty: 1, price: 5000, orderId: 'W-1001', at: daysAgo(10) })),
    upsert('event', 'ev-buy-s002', event('ev-buy-s002', { memberId: M1, type: 'purchase', channel: 'store', storeId: 'S002', sku: 'SKU-1', qty: 2, price: 1490, orderId: 'P-77', at: daysAgo(20) })),
  ]
}

const searchIds = async (musubi: Musubi, query: string): Promise<string[]> => (await musubi.api.customers.search(query)).map((h) => h.memberId)
/** The card from the cache (no fetch on demand); rejects when the member is not there. */
const cardOf = async (musubi: Musubi, memberId: string): Promise<CustomerCard> => await musubi.api.customers.card(memberId)

function memberCard(outcome: ScanOutcome): CustomerCard {
  if (outcome.kind !== 'member') throw new Error(`expected a member, got ${JSON.stringify(outcome)}`)
  return outcome.card
}

type OutboxDbRow = { seq: number; body: string; state: string; attempts: number; next_attempt_at: string | null; last_error: string | null }
function outboxRow(musubi: Musubi, saleId: string): OutboxDbRow {
  return musubi.db.prepare(`SELECT seq, body, state, attempts, next_attempt_at, last_error FROM outbox WHERE sale_id = ? AND kind = 'sale'`).get(saleId) as OutboxDbRow
}

function eventIds(musubi: Musubi, memberId: string): string[] {
  return (musubi.db.prepare('SELECT id FROM events WHERE member_id = ? ORDER BY id').all(memberId) as Array<{ id: string }>).map((r) => r.id)
}

const isSalePost = (r: { method: string; path: string }) => r.method === 'POST' && r.path === '/v1/sales'
const postStatuses = (proxy: FaultProxy) => proxy.requests('POST', '/v1/sales').map((r) => r.status)

/** POSTs a sale straight to the server, as another client with the same key would. */
async function postDirect(server: ProfileServer, body: Sale, key = body.saleId): Promise<number> {
  const response = await fetch(`${server.url}/v1/sales`, {
    method: 'POST',
    headers: { authorization: 'Bearer test-token', 'x-musubi-store': 'S001', 'x-musubi-device': 'REG-02', 'idempotency-key': key, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  await response.text()
  return response.status
}

// ---------------------------------------------------------------------------------------------
// The CLI

type Run = { status: number | null; stdout: string; stderr: string }

/** `musubi ...args` in a child process (asynchronous: the server answers from this process). */
function cli(args: string[], timeoutMs = 60_000): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...ENV }
  delete env['MUSUBI_CONFIG']
  delete env['MUSUBI_DATA_DIR']
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/musubi.js', ...args], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('error', reject)
    child.on('close', (status) => {
      clearTimeout(timer)
      resolve({ status, stdout, stderr })
    })
  })
}

/** `musubi ...args` in this process (for commands that need no server). */
async function cliInProcess(args: string[]): Promise<Run> {
  let stdout = ''
  let stderr = ''
  const sink = (append: (text: string) => void) =>
    new Writable({
      write(chunk: Buffer | string, _encoding, callback) {
        append(chunk.toString())
        callback()
      },
    })
  const io: CliIo = { stdout: sink((t) => (stdout += t)), stderr: sink((t) => (stderr += t)), env: { ...ENV } }
  const status = await main(args, io)
  return { status, stdout, stderr }
}

type OutboxListing = { outbox: Array<{ saleId: string; state: string; attempts: number; lastError: string | null }> }

// =============================================================================================

describe('pulling the feed over HTTP', () => {
  it('1. a full sync fills the cache: search, scan and the card find the records; the status says synced', async () => {
    const { server, musubi } = await setup()
    publish(server, seedChanges())
    expect(musubi.sync.status()).toMatchObject({ firstSync: true, lastSuccessAt: null })

    const before = Date.now()
    const result = await musubi.sync.runRound()
    expect(result).toMatchObject({ applied: seedChanges().length, skipped: 0, pages: 1, sent: 0, parked: 0, resynced: false })

    const status = musubi.sync.status()
    expect(status.firstSync).toBe(false)
    expect(status.state).toBe('idle')
    expect(status.lastError).toBeNull()
    expect(status.lastSuccessAt).not.toBeNull()
    expect(Date.parse(status.lastSuccessAt!)).toBeGreaterThanOrEqual(before - 1000)

    expect((await searchIds(musubi, '佐藤'))).toEqual([M2])
    expect((await searchIds(musubi, 'ヤマダ'))).toContain(M1)
    expect((await musubi.api.customers.search(M1))[0]).toMatchObject({ memberId: M1, displayName: '山田 太郎', tier: 'gold' })

    const card = memberCard(await musubi.api.scan.resolve(M1))
    expect(card.customer.memberId).toBe(M1)
    expect(card.timeline.map((e) => e.id).sort()).toEqual(['ev-buy-s002', 'ev-buy-web', 'ev-cart-1', 'ev-view-1'])
    expect(card.timeline.find((e) => e.id === 'ev-buy-s002')).toMatchObject({ channel: 'store', storeName: '梅田店', productName: 'ランニングソックス' })
    expect(card.stats).toMatchObject({ onlinePurchases: 1, storePurchases: 1 })
    expect(card.freshness.stale).toBe(false)
    expect(card.recentlyViewed.map((v) => v.sku)).toEqual(['SKU-1'])
    expect(card.recentlyViewed[0]!.onHandHere).toBe(7)
    // From the cache: nothing fetched on demand.
    expect(server.requests().byPath[`/v1/customers/${M1}`]).toBeUndefined()

    expect(await musubi.api.scan.resolve('4901234567801')).toMatchObject({ kind: 'product', sku: 'SKU-2', name: 'トレイルシューズ', priceYen: 5000 })
    expect((await musubi.api.app.info()).storeName).toBe('渋谷店')
  })

  it('2. at-least-once delivery: a feed with repeated changes leaves the same cache as one without', async () => {
    const { dir, server: plain, musubi: once } = await setup()
    const dupServer = await startProfileServer({ dbFile: join(dir, 'dup.db'), faults: { duplicateChanges: true, seed: 7 } })
    cleanups.push(() => dupServer.close())
    const twice = openRegister(dir, 'dup', httpConfig(dupServer.url)).musubi

    // Three batches with a round after each: later pages start by re-delivering the tail of the
    // one before, and repeat runs of their own changes; updates and deletes among them.
    const batches: RawChange[][] = [[], [], []]
    for (let i = 1; i <= 30; i++) {
      const id = `M${String(1000 + i).padStart(7, '0')}`
      batches[0]!.push(upsert('customer', id, customer(id, { displayName: `顧客 ${i}`, points: i, updatedAt: daysAgo(1) })))
      batches[0]!.push(upsert('event', `e-${i}`, event(`e-${i}`, { memberId: id, at: daysAgo(i % 20) })))
    }
    for (let i = 1; i <= 20; i++) batches[0]!.push(upsert('product', `SKU-${i}`, product(`SKU-${i}`, { barcodes: [`49000000${String(i).padStart(5, '0')}`], price: 100 * i })))
    for (let i = 1; i <= 30; i++) {
      const id = `M${String(1000 + i).padStart(7, '0')}`
      batches[1]!.push(upsert('customer', id, customer(id, { displayName: `顧客 ${i}`, points: i * 10, tier: i % 2 ? 'silver' : 'gold', updatedAt: daysAgo(0) })))
      if (i % 3 === 0) batches[1]!.push(del('event', `e-${i}`))
      batches[1]!.push(upsert('event', `f-${i}`, event(`f-${i}`, { memberId: id, type: 'cart', channel: 'app', at: daysAgo(1) })))
    }
    for (let i = 1; i <= 20; i += 4) batches[2]!.push(del('product', `SKU-${i}`))
    for (let i = 1; i <= 30; i += 5) batches[2]!.push(del('customer', `M${String(1000 + i).padStart(7, '0')}`))
    for (let i = 2; i <= 30; i += 5) batches[2]!.push(upsert('event', `e-${i}`, event(`e-${i}`, { memberId: `M${String(1000 + i).padStart(7, '0')}`, type: 'wishlist', at: daysAgo(0) })))

    let appliedOnce = 0
    let appliedTwice = 0
    for (const batch of batches) {
      publish(plain, batch)
      publish(dupServer, batch)
      appliedOnce += (await once.sync.runRound()).applied
      appliedTwice += (await twice.sync.runRound()).applied
    }
    // The duplicates really came.
    expect(appliedTwice).toBeGreaterThan(appliedOnce)

    const dump = async (musubi: Musubi) => {
      const all = (sql: string) => musubi.db.prepare(sql).all()
      const search: string[][] = []
      for (const q of ['顧客', '顧客 12', 'M0001002']) search.push((await searchIds(musubi, q)).sort())
      return {
        search,
        customers: all('SELECT member_id, record, updated_at, personalization FROM customers ORDER BY member_id'),
        products: all('SELECT sku, name, price_yen, active, record FROM products ORDER BY sku'),
        barcodes: all('SELECT code, sku FROM product_barcodes ORDER BY code'),
        events: all('SELECT id, member_id, type, channel, sku, qty, price_yen, order_id, store_id, coupon_code, at FROM events ORDER BY id'),
        
      }
    }
    const a = await dump(once)
    const b = await dump(twice)
    expect(b).toEqual(a)
    expect(a.customers).toHaveLength(24)
    expect(a.products).toHaveLength(15)
    // e-*: 30 − 10 deleted − 4 of deleted customers + 2 re-added; f-*: 30 − 6 of deleted customers.
    expect(a.events).toHaveLength(18 + 24)
    const m2 = a.customers.find((c) => (c as { member_id: string }).member_id === 'M0001002') as { record: string }
    expect(JSON.parse(m2.record)).toMatchObject({ points: 20, tier: 'gold' })
    expect(twice.sync.status().skippedChanges).toBe(0)
  })

  it('3. malformed changes are skipped and counted, unknown kinds and fields ignored, and the feed moves on', async () => {
    const { server, musubi, configPath, dataDir } = await setup()
    publish(server, [
      upsert('customer', M1, { ...customer(M1, { updatedAt: daysAgo(1) }), nickname: 'タロちゃん' }),
      upsert('customer', M2, { ...customer(M2), displayName: undefined }), // no displayName
      upsert('event', 'ev-a', event('ev-b', { memberId: M1 })), // id of the change ≠ id of the record
      { kind: 'customer', op: 'merge', id: 'M0000003' }, // unknown op
      upsert('loyalty_badge', 'B1', { badge: 'gold-runner' }), // a kind from a newer server
      upsert('product', 'SKU-1', { ...product('SKU-1'), futureField: { nested: true } }),
      upsert('event', 'ev-ok', event('ev-ok', { memberId: M1, at: daysAgo(1) })),
      upsert('event', 'ev-bad-type', event('ev-bad-type', { memberId: M1, type: 'teleport' as never })),
    ])
    const first = await musubi.sync.runRound()
    expect(first).toMatchObject({ skipped: 4, applied: 3 })
    expect(musubi.sync.status()).toMatchObject({ skippedChanges: 4, firstSync: false, state: 'idle' })

    const card = (await cardOf(musubi, M1))
    expect(card.customer).not.toHaveProperty('nickname')
    expect(card.timeline.map((e) => e.id)).toEqual(['ev-ok'])
    await expect(cardOf(musubi, M2)).rejects.toThrow(/not in the cache/)
    const record = musubi.db.prepare(`SELECT record FROM products WHERE sku = 'SKU-1'`).get() as { record: string }
    expect(JSON.parse(record.record)).not.toHaveProperty('futureField')

    // The cursor went past them: the next round reads only what is new.
    // A lone surrogate (JSON can carry one as an escape) is stored as U+FFFD, as binding stores it:
    // the purchase is counted for suggestions under the sku the cache holds.
    publish(server, [
      upsert('customer', 'M0000003', customer('M0000003', { displayName: '鈴木 一郎' })),
      upsert('product', 'SKU-2', { sku: 'SKU-2' }),
      upsert('event', 'ev-odd', event('ev-odd', { memberId: M1, type: 'purchase', sku: 'SKU-\ud800', qty: 1, price: 100, at: daysAgo(1) })),
    ])
    const second = await musubi.sync.runRound()
    expect(second).toMatchObject({ applied: 2, skipped: 1, pages: 1 })
    expect(musubi.db.prepare(`SELECT sku FROM events WHERE id = 'ev-odd'`).pluck().get()).toBe('SKU-\ufffd')
    expect(musubi.db.prepare('SELECT sku FROM items').pluck().all()).toContain('SKU-\ufffd')
    expect(musubi.sync.status().skippedChanges).toBe(5)
    expect((await searchIds(musubi, '鈴木'))).toEqual(['M0000003'])

    // doctor shows the count too.
    await musubi.close()
    const checks = await doctorChecks({ configPath, dataDir, json: true, untilIdle: false, timeoutSeconds: 600 }, ENV)
    expect(checks).toContainEqual({ name: 'sync', status: 'warn', detail: '5 malformed changes were skipped by the feed' })
  })
})

describe('a member fetched on demand', () => {
  it('4. a scanned member missing from the cache is fetched from /v1/customers; unknown → not_found; no server → unreachable within 2 s', async () => {
    const { server, musubi } = await setup()
    publish(server, seedChanges())
    await musubi.sync.runRound()

    // Added after the sync and never pulled: only /v1/customers can know them.
    const M5 = 'M0000005'
    publish(server, [
      upsert('customer', M5, customer(M5, { displayName: '高橋 次郎', updatedAt: daysAgo(0) })),
      upsert('event', 'ev-m5-view', event('ev-m5-view', { memberId: M5, sku: 'SKU-2', at: daysAgo(1) })),
      upsert('event', 'ev-m5-buy', event('ev-m5-buy', { memberId: M5, type: 'purchase', channel: 'app', sku: 'SKU-1', qty: 1, price: 1490, orderId: 'A-9', at: daysAgo(4) })),
    ])
    await expect(cardOf(musubi, M5)).rejects.toThrow()
    const card = memberCard(await musubi.api.scan.resolve(M5))
    expect(card.customer.displayName).toBe('高橋 次郎')
    expect(card.timeline.map((e) => e.id)).toEqual(['ev-m5-view', 'ev-m5-buy'])
    expect(card.timeline[0]!.productName).toBe('トレイルシューズ')
    expect(server.requests().byPath[`/v1/customers/${M5}`]).toBe(1)
    // Stored in the cache: the next scan asks nobody.
    memberCard(await musubi.api.scan.resolve(M5))
    expect(server.requests().byPath[`/v1/customers/${M5}`]).toBe(1)
    expect((await searchIds(musubi, '高橋'))).toEqual([M5])

    expect(await musubi.api.scan.resolve('M9999999')).toEqual({ kind: 'member_unknown', memberId: 'M9999999', reason: 'not_found' })

    // A server that does not answer in time: the counter gives up after 1.5 s.
    server.setFaults({ failRate: 1, kinds: ['slow'], slowMs: 10_000 })
    let started = Date.now()
    expect(await musubi.api.scan.resolve('M0000777')).toEqual({ kind: 'member_unknown', memberId: 'M0000777', reason: 'unreachable' })
    const slowMs = Date.now() - started
    expect(slowMs).toBeGreaterThanOrEqual(1400)
    expect(slowMs).toBeLessThan(2000)

    // No server at all.
    await server.close()
    started = Date.now()
    expect(await musubi.api.scan.resolve('M0000888')).toEqual({ kind: 'member_unknown', memberId: 'M0000888', reason: 'unreachable' })
    expect(Date.now() - started).toBeLessThan(2000)
    // The cache still answers for those it has.
    expect(memberCard(await musubi.api.scan.resolve(M1)).customer.memberId).toBe(M1)
  })
})

describe('recording and pushing sales', () => {
  it('5. a sale is on the card at once, pushed by the next round, and not counted twice when the feed brings it back', async () => {
    const { server, musubi } = await setup()
    publish(server, [...seedChanges(), upsert('coupon', 'WELCOME', { code: 'WELCOME', title: '500円引き', discount: { type: 'amount', value: 500 }, validFrom: daysAgo(30), validTo: daysAgo(-30), stackable: false })])
    await musubi.sync.runRound()
    const before = (await cardOf(musubi, M1))

    const lines = [
      { sku: 'SKU-1', qty: 2, unitPrice: 1490, discount: 200 },
      { sku: 'SKU-2', qty: 1, unitPrice: 5000, discount: 300 },
    ]
    const s = sale({ memberId: M1, lines, coupons: ['WELCOME'], total: 2 * 1490 - 200 + 5000 - 300 })
    expect(musubi.recordSale(s)).toEqual({ saleId: s.saleId, recorded: true })
    expect(musubi.recordSale(s)).toEqual({ saleId: s.saleId, recorded: false, reason: 'duplicate' })

    const ids = [`${s.saleId}:0`, `${s.saleId}:1`, `${s.saleId}:coupon:WELCOME`]
    const expectOnCardOnce = async () => {
      const card = (await cardOf(musubi, M1))
      const ofSale = card.timeline.filter((e) => e.orderId === s.saleId)
      expect(ofSale.map((e) => e.id).sort()).toEqual(ids)
      for (const e of ofSale) expect(e).toMatchObject({ channel: 'store', storeId: 'S001', storeName: '渋谷店' })
      expect(ofSale.find((e) => e.id === `${s.saleId}:0`)).toMatchObject({ type: 'purchase', sku: 'SKU-1', qty: 2, priceYen: 1490 })
      expect(ofSale.find((e) => e.id === `${s.saleId}:coupon:WELCOME`)).toMatchObject({ type: 'coupon_redeemed', couponCode: 'WELCOME' })
      expect(card.stats.storePurchases).toBe(before.stats.storePurchases + 1)
      expect(card.eventCount).toBe(before.eventCount + 3)
      expect(card.stats.lastVisitHereAt).toBe(new Date(s.at).toISOString())
      return card
    }
    // Before any push.
    expect(server.saleCount()).toBe(0)
    expect(musubi.sync.status().salesWaiting).toBe(1)
    await expectOnCardOnce()

    const pushed = await musubi.sync.runRound()
    expect(pushed.sent).toBe(1)
    expect(server.saleCount()).toBe(1)
    expect(server.sales()[0]).toMatchObject({ saleId: s.saleId, memberId: M1, body: s })
    expect(unsentOutbox(musubi.db)).toEqual([])
    expect(musubi.sync.status()).toMatchObject({ salesWaiting: 0, salesFailed: 0 })

    // The feed brings the sale's events back: same ids, so still once each.
    const echoed = await musubi.sync.runRound()
    expect(echoed.applied).toBe(3)
    const after = await expectOnCardOnce()
    expect(after.timeline).toHaveLength(before.timeline.length + 3)
    expect(new Set(after.timeline.map((e) => e.id)).size).toBe(after.timeline.length)
    expect(server.saleCount()).toBe(1)
  })

  it('6. exactly once under store-then-drop: the server stored it, the answer was lost, the retry gets a 200 replay', async () => {
    const { server, proxy, musubi } = await setup({
      proxy: async (request, index): Promise<ProxyDecision> => {
        if (!isSalePost(request) || index > 0) return 'forward'
        server.setFaults({ failRate: 1, kinds: ['store-then-drop'] })
        try {
          return await forwardTo(server.url, request)
        } finally {
          server.setFaults({ failRate: 0 })
        }
      },
    })
    await musubi.sync.runRound()
    const s = sale()
    musubi.recordSale(s)

    await expect(musubi.sync.runRound()).rejects.toMatchObject({ code: 'offline' })
    expect(musubi.sync.status()).toMatchObject({ state: 'offline', salesWaiting: 1 })
    expect(server.saleCount()).toBe(1) // stored; only the answer was lost
    expect(outboxRow(musubi, s.saleId)).toMatchObject({ state: 'pending', attempts: 1 })

    expect(await musubi.sync.runUntilIdle(10_000)).toEqual({ waiting: 0, parked: 0 })
    expect(postStatuses(proxy!)).toEqual([null, 200])
    expect(server.saleCount()).toBe(1)
    expect(server.sales()[0]!.body).toEqual(s)
    expect(outboxRow(musubi, s.saleId)).toMatchObject({ state: 'sent', attempts: 2 })
    expect(musubi.sync.status()).toMatchObject({ state: 'idle', lastError: null, salesWaiting: 0 })
  })

  it('7. every retry sends the same key and the same bytes; the stored row never changes', async () => {
    const box: { musubi?: Musubi } = {}
    const seenRows: OutboxDbRow[] = []
    const failures = 3
    const setupResult = await setup({
      proxy: (request, index) => {
        if (!isSalePost(request)) return 'forward'
        const saleId = request.headers['idempotency-key']!
        seenRows.push(outboxRow(box.musubi!, saleId))
        return index < failures ? { status: 500, body: JSON.stringify({ error: 'injected: database on fire' }) } : 'forward'
      },
    })
    const { server, proxy, musubi } = setupResult
    box.musubi = musubi
    // Non-ASCII text in the body: the bytes on the wire are still the stored ones.
    const s = sale({ posReceipt: 'レシート-0042', suggestionsShown: ['SKU-2'], suggestionsAccepted: [] })
    musubi.recordSale(s)
    const stored = outboxRow(musubi, s.saleId)
    // Recorded after it: waits behind it (the outbox sends in order).
    const behind = sale()
    musubi.recordSale(behind)

    expect(await musubi.sync.runUntilIdle(10_000)).toEqual({ waiting: 0, parked: 0 })

    const all = proxy!.requests('POST', '/v1/sales')
    expect(all.map((p) => p.headers['idempotency-key'])).toEqual([s.saleId, s.saleId, s.saleId, s.saleId, behind.saleId])
    expect(server.sales().map((x) => x.saleId)).toEqual([s.saleId, behind.saleId])
    const posts = all.slice(0, 4)
    expect(posts.map((p) => p.status)).toEqual([500, 500, 500, 201])
    for (const post of posts) {
      expect(post.headers['idempotency-key']).toBe(s.saleId)
      expect(post.body.equals(Buffer.from(stored.body, 'utf8'))).toBe(true)
      expect(post.headers['content-type']).toMatch(/^application\/json/)
    }
    expect(seenRows.slice(0, 4).map((r) => r.attempts)).toEqual([0, 1, 2, 3])
    expect(seenRows.slice(0, 4).every((r) => r.body === stored.body)).toBe(true)
    expect(seenRows[1]!.last_error).toMatch(/500.*database on fire/)
    expect(outboxRow(musubi, s.saleId)).toMatchObject({ state: 'sent', attempts: 4, body: stored.body, last_error: null })
    expect(server.sales()[0]!.body).toEqual(JSON.parse(stored.body))
    expect(server.sales()[0]!.body).toEqual(s)
  })

  it('8. a sale the server refuses (422) is parked with the reason; the queue moves on and it is never resent', async () => {
    const { server, musubi, configPath, dataDir } = await setup()
    await musubi.sync.runRound()
    const refused = sale()
    // Another client used this key first, with another body.
    expect(await postDirect(server, { ...refused, staffId: 'S0002' })).toBe(201)

    musubi.recordSale(refused)
    const next = sale({ lines: [{ sku: 'SKU-9', qty: 3, unitPrice: 990, discount: 0 }] })
    musubi.recordSale(next)

    expect(await musubi.sync.runUntilIdle(10_000)).toEqual({ waiting: 0, parked: 1 })
    expect(server.saleCount()).toBe(2)
    expect(server.sales().find((x) => x.saleId === refused.saleId)!.body).toMatchObject({ staffId: 'S0002' })
    expect(server.sales().find((x) => x.saleId === next.saleId)!.body).toEqual(next)
    expect(musubi.sync.status()).toMatchObject({ salesWaiting: 0, salesFailed: 1 })
    const unsent = unsentOutbox(musubi.db)
    expect(unsent).toHaveLength(1)
    expect(unsent[0]).toMatchObject({ saleId: refused.saleId, state: 'parked', attempts: 1 })
    expect(unsent[0]!.lastError).toMatch(/422.*different body/)

    // Never resent on its own.
    const postsBefore = server.requests().byPath['/v1/sales']
    await musubi.sync.runRound()
    expect(await musubi.sync.runUntilIdle(5_000)).toEqual({ waiting: 0, parked: 1 })
    expect(server.requests().byPath['/v1/sales']).toBe(postsBefore)

    await musubi.close()
    const listing = await cliInProcess(['outbox', '--json', '--config', configPath, '--data-dir', dataDir])
    expect(listing.status).toBe(0)
    const { outbox } = JSON.parse(listing.stdout) as OutboxListing
    expect(outbox).toHaveLength(1)
    expect(outbox[0]).toMatchObject({ saleId: refused.saleId, state: 'parked' })
    expect(outbox[0]!.lastError).toMatch(/already used with a different body/)
  })

  it('9. 409 (the key is still being processed) is retried with the same key and body until the 200 replay', async () => {
    const held: { copy?: Promise<ProxyAnswer> } = {}
    const { server, proxy, musubi } = await setup({
      proxy: async (request, index): Promise<ProxyDecision> => {
        if (isSalePost(request) && index === 0) {
          // A first copy of the request is held by the server (slow), so the register's own
          // request finds its key in flight: a real 409 from the reference server.
          server.setFaults({ failRate: 1, kinds: ['slow'], slowMs: 300 })
          const before = server.requests().total
          held.copy = forwardTo(server.url, request)
          await until(() => server.requests().total > before)
          server.setFaults({ failRate: 0 })
        }
        return 'forward'
      },
    })
    await musubi.sync.runRound()
    const s = sale()
    musubi.recordSale(s)

    const first = await musubi.sync.runRound()
    expect(first).toMatchObject({ sent: 0, parked: 0 })
    expect(musubi.sync.status()).toMatchObject({ state: 'idle', salesWaiting: 1, salesFailed: 0 })
    expect(outboxRow(musubi, s.saleId)).toMatchObject({ state: 'pending', attempts: 1 })
    expect(outboxRow(musubi, s.saleId).last_error).toMatch(/409/)

    expect(await musubi.sync.runUntilIdle(10_000)).toEqual({ waiting: 0, parked: 0 })
    expect((await held.copy)?.status).toBe(201)
    const statuses = postStatuses(proxy!)
    expect(statuses[0]).toBe(409)
    expect(statuses.at(-1)).toBe(200)
    expect(statuses.slice(1, -1).every((x) => x === 409)).toBe(true)
    const bodies = proxy!.requests('POST', '/v1/sales').map((r) => r.body.toString('utf8'))
    expect(new Set(bodies).size).toBe(1)
    expect(server.saleCount()).toBe(1)
    expect(outboxRow(musubi, s.saleId).state).toBe('sent')
  })

  it('10. 401: the round stops as unauthorized, sales stay queued (not parked), and the schedule does not retry', async () => {
    const { server, musubi } = await setup({ server: { token: 'another-token' } })
    const s = sale()
    musubi.recordSale(s)

    await expect(musubi.sync.runRound()).rejects.toMatchObject({ code: 'unauthorized' })
    const status = musubi.sync.status()
    expect(status).toMatchObject({ state: 'unauthorized', salesWaiting: 1, salesFailed: 0, firstSync: true })
    expect(status.lastError?.code).toBe('unauthorized')
    expect(status.lastError?.message).toMatch(/401/)
    expect(outboxRow(musubi, s.saleId)).toMatchObject({ state: 'pending', attempts: 0 })
    const started = Date.now()
    await expect(musubi.sync.runUntilIdle(10_000)).rejects.toMatchObject({ code: 'unauthorized' })
    expect(Date.now() - started).toBeLessThan(1000)

    const before = server.requests().total
    musubi.startBackgroundSync()
    await until(() => server.requests().total > before)
    await sleep(300)
    expect(server.requests().total - before).toBe(1)
    expect(musubi.sync.status().state).toBe('unauthorized')
    expect(server.saleCount()).toBe(0)
    expect(outboxRow(musubi, s.saleId)).toMatchObject({ state: 'pending' })
  })

  it('10b. 403 on the push: the sale stays queued untouched and the schedule stops', async () => {
    const { proxy, server, musubi } = await setup({
      proxy: (request) => (isSalePost(request) ? { status: 403, body: JSON.stringify({ error: 'device REG-01 was revoked' }) } : 'forward'),
    })
    const s = sale()
    musubi.recordSale(s)
    await expect(musubi.sync.runRound()).rejects.toMatchObject({ code: 'unauthorized' })
    expect(musubi.sync.status()).toMatchObject({ state: 'unauthorized', salesWaiting: 1, salesFailed: 0 })
    expect(musubi.sync.status().lastError?.message).toMatch(/403.*revoked/)
    expect(outboxRow(musubi, s.saleId)).toMatchObject({ state: 'pending', attempts: 0 })

    const before = proxy!.requests().length
    musubi.startBackgroundSync()
    await until(() => proxy!.requests().length - before >= 2)
    await sleep(300)
    expect(proxy!.requests().length - before).toBe(2) // one round: the feed, then the refused push
    expect(server.saleCount()).toBe(0)
  })

  it('11. 429 with Retry-After: the next try waits at least that long', async () => {
    const { proxy, server, musubi } = await setup({
      proxy: (request, index) => (isSalePost(request) && index === 0 ? { status: 429, headers: { 'retry-after': '1' }, body: JSON.stringify({ error: 'slow down' }) } : 'forward'),
    })
    await musubi.sync.runRound()
    const s = sale()
    musubi.recordSale(s)

    await expect(musubi.sync.runRound()).rejects.toMatchObject({ code: 'fault', retryAfterMs: 1000 })
    expect(musubi.sync.status()).toMatchObject({ state: 'error', salesWaiting: 1 })
    const failedAt = proxy!.requests('POST', '/v1/sales')[0]!.answeredAt!
    const row = outboxRow(musubi, s.saleId)
    expect(row).toMatchObject({ state: 'pending', attempts: 1 })
    const wait = Date.parse(row.next_attempt_at!) - failedAt
    expect(wait).toBeGreaterThanOrEqual(1000)
    expect(wait).toBeLessThan(2000)

    // A round before then leaves it alone.
    expect(await musubi.sync.runRound()).toMatchObject({ sent: 0 })
    expect(proxy!.requests('POST', '/v1/sales')).toHaveLength(1)

    expect(await musubi.sync.runUntilIdle(10_000)).toEqual({ waiting: 0, parked: 0 })
    const posts = proxy!.requests('POST', '/v1/sales')
    expect(posts.map((p) => p.status)).toEqual([429, 201])
    expect(posts[1]!.at - failedAt).toBeGreaterThanOrEqual(1000)
    expect(server.saleCount()).toBe(1)
  })

  it('11b. a 2xx that is not the JSON described, a redirect and an unlisted status are faults: retried, never marked sent', async () => {
    const wrong: ProxyAnswer[] = [
      { status: 200, headers: { 'content-type': 'text/html' }, body: '<html>captive portal</html>' },
      { status: 201, body: JSON.stringify({ ok: true }) },
      { status: 302, headers: { location: 'https://login.example/' }, body: '' },
      { status: 404, body: JSON.stringify({ error: 'no such path' }) },
    ]
    const { proxy, server, musubi } = await setup({ proxy: (request, index) => (isSalePost(request) && index < wrong.length ? wrong[index]! : 'forward') })
    const s = sale()
    musubi.recordSale(s)
    expect(await musubi.sync.runUntilIdle(10_000)).toEqual({ waiting: 0, parked: 0 })
    expect(postStatuses(proxy!)).toEqual([200, 201, 302, 404, 201])
    expect(server.saleCount()).toBe(1)
    expect(outboxRow(musubi, s.saleId)).toMatchObject({ state: 'sent', attempts: 5 })
  })
})

describe('the cache over time', () => {
  it('12. 410: a full resync drops records not received again and keeps local sales and settings', async () => {
    const { server, musubi } = await setup()
    publish(server, seedChanges())
    await musubi.sync.runRound()
    await musubi.api.app.setLocale('en')

    // Records the server does not have (any more): put straight into the cache.
    const state = readSyncState(musubi.db)!
    applyPage(
      musubi.db,
      [
        upsert('customer', 'M0000999', customer('M0000999', { displayName: '幽霊 花子', updatedAt: daysAgo(1) })),
        upsert('product', 'SKU-GHOST', product('SKU-GHOST', { barcodes: ['4909999999999'] })),
        upsert('event', 'ev-ghost', event('ev-ghost', { memberId: M1, at: daysAgo(1) })),
      ],
      null,
      state.generation,
    )
    expect(await musubi.api.customers.search('幽霊')).toHaveLength(1)
    // A local sale not yet pushed: its events are local (generation 0).
    const s = sale({ memberId: M1 })
    musubi.recordSale(s)
    publish(server, [upsert('customer', 'M0000003', customer('M0000003', { displayName: '鈴木 一郎', updatedAt: daysAgo(0) }))])

    server.expireCursorsBefore(Number.MAX_SAFE_INTEGER)
    const result = await musubi.sync.runRound()
    expect(result.resynced).toBe(true)
    expect(result.sent).toBe(1)

    expect(await musubi.api.customers.search('幽霊')).toEqual([])
    await expect(cardOf(musubi, 'M0000999')).rejects.toThrow(/not in the cache/)
    expect(musubi.db.prepare(`SELECT count(*) AS n FROM products WHERE sku = 'SKU-GHOST'`).get()).toEqual({ n: 0 })
    expect(musubi.db.prepare(`SELECT count(*) AS n FROM product_barcodes WHERE code = '4909999999999'`).get()).toEqual({ n: 0 })

    const card = (await cardOf(musubi, M1))
    const ids = card.timeline.map((e) => e.id)
    expect(ids).not.toContain('ev-ghost')
    expect(ids).toEqual(expect.arrayContaining(['ev-view-1', 'ev-cart-1', 'ev-buy-web', 'ev-buy-s002', `${s.saleId}:0`, `${s.saleId}:1`]))
    expect((await searchIds(musubi, '鈴木'))).toEqual(['M0000003'])
    expect((await searchIds(musubi, '佐藤'))).toEqual([M2])
    expect(await musubi.api.app.info()).toMatchObject({ locale: 'en', storeName: '渋谷店' })
    expect(readSyncState(musubi.db)).toMatchObject({ resyncing: false, generation: state.generation + 1 })
    expect(musubi.sync.status()).toMatchObject({ state: 'idle', firstSync: false, salesWaiting: 0 })

    // The next round is an ordinary one; the sale's events come back from the feed, once.
    const next = await musubi.sync.runRound()
    expect(next.resynced).toBe(false)
    const again = (await cardOf(musubi, M1))
    expect(again.timeline.filter((e) => e.orderId === s.saleId)).toHaveLength(2)
    expect(again.stats.storePurchases).toBe(card.stats.storePurchases)
  })

  it('13. consent: withdrawn → no views, carts or wishlists kept (purchases stay); restored → they come back from /v1/customers', async () => {
    const { server, musubi } = await setup()
    const behaviour = ['ev-view-1', 'ev-cart-1', 'ev-wish-1']
    publish(server, [
      ...seedChanges(),
      upsert('event', 'ev-wish-1', event('ev-wish-1', { memberId: M1, type: 'wishlist', at: daysAgo(4) })),
      // A member without consent whose view arrives before their record.
      upsert('event', 'ev-m2-view', event('ev-m2-view', { memberId: 'M0000004', at: daysAgo(1) })),
      upsert('event', 'ev-m2-buy', event('ev-m2-buy', { memberId: 'M0000004', type: 'purchase', orderId: 'W-2', qty: 1, price: 1490, at: daysAgo(1) })),
      upsert('customer', 'M0000004', customer('M0000004', { consent: { personalization: false }, updatedAt: daysAgo(1) })),
    ])
    await musubi.sync.runRound()
    expect(eventIds(musubi, M1)).toEqual(['ev-buy-s002', 'ev-buy-web', 'ev-cart-1', 'ev-view-1', 'ev-wish-1'])
    expect(eventIds(musubi, 'M0000004')).toEqual(['ev-m2-buy'])

    publish(server, [upsert('customer', M1, customer(M1, { consent: { personalization: false }, updatedAt: daysAgo(0) }))])
    await musubi.sync.runRound()
    expect(eventIds(musubi, M1)).toEqual(['ev-buy-s002', 'ev-buy-web'])
    const withdrawn = (await cardOf(musubi, M1))
    expect(withdrawn.recentlyViewed).toEqual([])
    expect(withdrawn.stats).toMatchObject({ onlinePurchases: 1, storePurchases: 1 })

    // Later behaviour is not kept either; purchases are.
    publish(server, [
      upsert('event', 'ev-view-2', event('ev-view-2', { memberId: M1, sku: 'SKU-2', at: daysAgo(0) })),
      upsert('event', 'ev-buy-app', event('ev-buy-app', { memberId: M1, type: 'purchase', channel: 'app', sku: 'SKU-1', qty: 1, price: 1490, orderId: 'A-1', at: daysAgo(0) })),
    ])
    await musubi.sync.runRound()
    expect(eventIds(musubi, M1)).toEqual(['ev-buy-app', 'ev-buy-s002', 'ev-buy-web'])
    expect(server.requests().byPath[`/v1/customers/${M1}`]).toBeUndefined()

    publish(server, [upsert('customer', M1, customer(M1, { consent: { personalization: true }, updatedAt: new Date().toISOString() }))])
    await musubi.sync.runRound()
    expect(server.requests().byPath[`/v1/customers/${M1}`]).toBe(1)
    expect(eventIds(musubi, M1)).toEqual(['ev-buy-app', 'ev-buy-s002', 'ev-buy-web', ...behaviour, 'ev-view-2'].sort())
    expect((await cardOf(musubi, M1)).recentlyViewed.map((v) => v.sku)).toEqual(['SKU-2', 'SKU-1'])
  })

  it('13b. consent restored while /v1/customers fails: the history is fetched again by a later round, not lost', async () => {
    const { server, proxy, musubi } = await setup({
      proxy: (request, index) => (request.path === `/v1/customers/${M1}` && index === 0 ? { status: 503, body: JSON.stringify({ error: 'maintenance' }) } : 'forward'),
    })
    publish(server, seedChanges())
    await musubi.sync.runRound()
    publish(server, [upsert('customer', M1, customer(M1, { consent: { personalization: false }, updatedAt: daysAgo(0) }))])
    await musubi.sync.runRound()
    expect(eventIds(musubi, M1)).toEqual(['ev-buy-s002', 'ev-buy-web'])

    publish(server, [upsert('customer', M1, customer(M1, { consent: { personalization: true }, updatedAt: new Date().toISOString() }))])
    await musubi.sync.runRound().catch(() => undefined) // its fetch of M1's history meets the 503
    expect(proxy!.requests('GET', `/v1/customers/${M1}`).map((r) => r.status)).toEqual([503])

    await musubi.sync.runRound()
    expect(eventIds(musubi, M1)).toEqual(['ev-buy-s002', 'ev-buy-web', 'ev-cart-1', 'ev-view-1'])
  })

  it('14. retention: an old customer nobody here has seen is pruned; scanned ones and recent buyers here stay', async () => {
    const { server, musubi } = await setup({ config: { retentionDays: 30 } })
    const old = daysAgo(60)
    const ids = { stale: 'M0000101', scanned: 'M0000102', boughtHere: 'M0000103', boughtElsewhere: 'M0000104', longAgo: 'M0000105', fresh: 'M0000106' }
    publish(server, [
      upsert('store', 'S001', { storeId: 'S001', name: '渋谷店' }),
      ...Object.entries(ids).map(([name, id]) => upsert('customer', id, customer(id, { displayName: `保持 ${name}`, updatedAt: name === 'fresh' ? daysAgo(2) : old }))),
      upsert('event', 'ev-stale-view', event('ev-stale-view', { memberId: ids.stale, at: daysAgo(3) })),
      upsert('event', 'ev-here', event('ev-here', { memberId: ids.boughtHere, type: 'purchase', channel: 'store', storeId: 'S001', orderId: 'P-1', qty: 1, price: 1490, at: daysAgo(5) })),
      upsert('event', 'ev-there', event('ev-there', { memberId: ids.boughtElsewhere, type: 'purchase', channel: 'store', storeId: 'S002', orderId: 'P-2', qty: 1, price: 1490, at: daysAgo(5) })),
      upsert('event', 'ev-long-ago', event('ev-long-ago', { memberId: ids.longAgo, type: 'purchase', channel: 'store', storeId: 'S001', orderId: 'P-3', qty: 1, price: 1490, at: daysAgo(40) })),
    ])
    // Pruning runs at most daily: hold it back for the first round.
    writeSetting(musubi.db, 'cache.prunedAt', new Date().toISOString())
    await musubi.sync.runRound()
    const inCache = () => (musubi.db.prepare('SELECT member_id FROM customers ORDER BY member_id').all() as Array<{ member_id: string }>).map((r) => r.member_id)
    expect(inCache()).toEqual(Object.values(ids))

    memberCard(await musubi.api.scan.resolve(ids.scanned))
    await nextTick() // the scan's touch is written after the answer

    writeSetting(musubi.db, 'cache.prunedAt', daysAgo(2))
    await musubi.sync.runRound()
    expect(inCache()).toEqual([ids.scanned, ids.boughtHere, ids.fresh])
    expect(eventIds(musubi, ids.stale)).toEqual([])
    expect(eventIds(musubi, ids.boughtHere)).toEqual(['ev-here'])

    // Not again within a day, even for a record as old.
    publish(server, [upsert('customer', 'M0000107', customer('M0000107', { updatedAt: old }))])
    await musubi.sync.runRound()
    expect(inCache()).toContain('M0000107')

    // A pruned member scanned again comes back on demand.
    const back = memberCard(await musubi.api.scan.resolve(ids.stale))
    expect(back.timeline.map((e) => e.id)).toEqual(['ev-stale-view'])
    expect(server.requests().byPath[`/v1/customers/${ids.stale}`]).toBe(1)
  })

  it('15. sales recorded under the demo connector are never sent to the real server', async () => {
    const { dir, server, musubi: first, configPath, dataDir } = await setup()
    await first.close()
    const demoConfig = writeConfig(join(dir, 'demo.json'), { storeId: 'S001', deviceId: 'REG-01', connector: { kind: 'demo', scale: 0.001 } })
    const demo = openMusubi({ configPath: demoConfig, dataDir, env: ENV })
    cleanups.push(() => demo.close())
    await demo.sync.runRound()
    const demoCustomers = (demo.db.prepare('SELECT count(*) AS n FROM customers').get() as { n: number }).n
    expect(demoCustomers).toBeGreaterThan(0)
    const s = sale()
    demo.recordSale(s)
    await demo.close()

    const musubi = openMusubi({ configPath, dataDir, env: ENV })
    cleanups.push(() => musubi.close())
    signInForTests(musubi.api)
    // A fresh cache for the new source.
    expect(musubi.db.prepare('SELECT (SELECT count(*) FROM customers) + (SELECT count(*) FROM products) + (SELECT count(*) FROM events) AS n').get()).toEqual({ n: 0 })
    expect(musubi.sync.status()).toMatchObject({ firstSync: true, salesWaiting: 0, salesFailed: 0 })

    publish(server, seedChanges())
    expect(await musubi.sync.runUntilIdle(10_000)).toEqual({ waiting: 0, parked: 0 })
    expect(server.saleCount()).toBe(0)
    expect(server.requests().byPath['/v1/sales']).toBeUndefined()
    expect((await searchIds(musubi, '佐藤'))).toEqual([M2])
    await musubi.close()

    const listing = await cliInProcess(['outbox', '--json', '--config', configPath, '--data-dir', dataDir])
    expect(listing.status).toBe(0)
    const { outbox } = JSON.parse(listing.stdout) as OutboxListing
    expect(outbox).toEqual([expect.objectContaining({ saleId: s.saleId, state: 'other_source', attempts: 0 })])
  })
})

describe('the CLI against the server', () => {
  it('16. sales import, outbox and sync --until-idle: exit codes, line numbers, parked sales and a server that is down', async () => {
    const { dir, server, musubi, configPath, dataDir } = await setup()
    await musubi.close()
    const common = ['--config', configPath, '--data-dir', dataDir]

    const good = [sale({ memberId: M1 }), sale(), sale({ posReceipt: 'R-3' })]
    const file = join(dir, 'sales.jsonl')
    writeFileSync(
      file,
      [
        JSON.stringify(good[0]),
        JSON.stringify(good[1]),
        JSON.stringify(good[2]),
        '{"saleId": "not closed"',
        JSON.stringify({ ...sale(), total: 1 }),
        JSON.stringify(sale({ storeId: 'S002' })),
        JSON.stringify(good[0]),
      ].join('\n') + '\n',
    )
    const imported = await cli(['sales', 'import', file, ...common])
    expect(imported.status, imported.stderr).toBe(2)
    expect(imported.stderr).toMatch(new RegExp(`^${escape(file)}:4: refused: not valid JSON`, 'm'))
    expect(imported.stderr).toMatch(new RegExp(`^${escape(file)}:5: refused: "total"`, 'm'))
    expect(imported.stderr).toMatch(new RegExp(`^${escape(file)}:6: refused: "storeId"`, 'm'))
    expect(imported.stderr).toMatch(new RegExp(`^${escape(file)}:7: skipped: sale ${good[0]!.saleId} is already recorded`, 'm'))
    expect(imported.stderr).not.toMatch(new RegExp(`^${escape(file)}:[123]:`, 'm'))
    expect(imported.stderr).toMatch(/sales import: 3 recorded, 1 already recorded, 3 refused/)

    const waiting = await cli(['outbox', '--json', ...common])
    expect(waiting.status, waiting.stderr).toBe(0)
    expect((JSON.parse(waiting.stdout) as OutboxListing).outbox.map((r) => [r.saleId, r.state])).toEqual(good.map((g) => [g.saleId, 'waiting']))

    const synced = await cli(['sync', '--until-idle', '--timeout', '30', ...common])
    expect(synced.status, synced.stderr).toBe(0)
    expect(synced.stderr).toMatch(/^sync: drained in [\d.]+ s$/m)
    expect(server.sales().map((x) => x.saleId)).toEqual(good.map((g) => g.saleId))

    // One the server refuses: exit 2, and the outbox says why.
    const refused = sale()
    expect(await postDirect(server, { ...refused, staffId: 'S0999' })).toBe(201)
    writeFileSync(file, JSON.stringify(refused) + '\n')
    expect((await cli(['sales', 'import', file, ...common])).status).toBe(0)
    const parked = await cli(['sync', '--until-idle', '--timeout', '30', ...common])
    expect(parked.status, parked.stderr).toBe(2)
    expect(parked.stderr).toMatch(/1 sales parked as failed/)
    const listing = JSON.parse((await cli(['outbox', '--json', ...common])).stdout) as OutboxListing
    expect(listing.outbox).toEqual([expect.objectContaining({ saleId: refused.saleId, state: 'parked', lastError: expect.stringMatching(/422/) })])

    // The server is down: exit 1 within the timeout, with the reason.
    const late = sale()
    writeFileSync(file, JSON.stringify(late) + '\n')
    expect((await cli(['sales', 'import', file, ...common])).status).toBe(0)
    await server.close()
    const started = Date.now()
    const down = await cli(['sync', '--until-idle', '--timeout', '2', ...common])
    expect(down.status).toBe(1)
    expect(down.stderr).toMatch(/not drained within 2 s: .*ECONNREFUSED.*\(sync_failed\)/)
    expect(Date.now() - started).toBeLessThan(8000)
    const still = JSON.parse((await cli(['outbox', '--json', ...common])).stdout) as OutboxListing
    expect(still.outbox.map((r) => [r.saleId, r.state])).toEqual([
      [refused.saleId, 'parked'],
      [late.saleId, 'waiting'],
    ])
  })

  it('17. doctor: the connector answers and the clock is compared with the server; a refused token is not "ok"', async () => {
    const { dir, server, musubi, configPath, dataDir } = await setup()
    publish(server, seedChanges())
    await musubi.sync.runRound()
    await musubi.close()

    const run = await cli(['doctor', '--json', '--config', configPath, '--data-dir', dataDir])
    expect(run.status, run.stdout).toBe(0)
    const { checks } = JSON.parse(run.stdout) as { checks: Check[] }
    expect(checks).toContainEqual({ name: 'connector', status: 'ok', detail: 'http: the profile service answers' })
    const skew = checks.find((c) => c.name === 'clock' && /profile service/.test(c.detail))
    expect(skew).toMatchObject({ status: 'ok' })
    expect(skew!.detail).toMatch(/^the register's clock is [0-2] s (ahead of|behind) the profile service$/)
    expect(checks.filter((c) => c.status !== 'ok')).toEqual([])

    // A register clock five minutes ahead of the server's.
    const options = { configPath, dataDir, json: true, untilIdle: false, timeoutSeconds: 600 }
    const ahead = await doctorChecks(options, ENV, new Date(Date.now() + 5 * 60_000))
    const warned = ahead.find((c) => c.name === 'clock' && /profile service/.test(c.detail))
    expect(warned).toMatchObject({ status: 'warn' })
    expect(warned!.detail).toMatch(/^the register's clock is 3\d\d s ahead of the profile service: set the time \(NTP\)$/)

    // A token the server refuses: the register cannot sync, so the connector is not "ok".
    const badToken = writeConfig(join(dir, 'bad-token.json'), { ...httpConfig(server.url), connector: { kind: 'http', endpoint: server.url, token: 'revoked' } })
    const refused = await doctorChecks({ ...options, configPath: badToken }, ENV)
    const connector = refused.find((c) => c.name === 'connector')!
    expect(connector.status).not.toBe('ok')
    expect(connector.detail).toMatch(/401/)
  })
})

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
