import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { AppError } from '../../shared/errors.ts'
import type { RawChange } from '../../shared/records.ts'
import type { SyncStatus } from '../../shared/views.ts'
import { countProducts } from '../../electron/services/db/catalog.ts'
import { countCustomers } from '../../electron/services/db/customers.ts'
import { countEvents } from '../../electron/services/db/events.ts'
import type { WritableDB } from '../../electron/services/db/handle.ts'
import { openDatabase } from '../../electron/services/db/open.ts'
import { readSetting, writeSetting } from '../../electron/services/db/settings.ts'
import { readSyncState } from '../../electron/services/db/sync-state.ts'
import type { ChangePage, Connector } from '../../electron/services/sync/connector.ts'
import { createDemoConnector, demoTotals } from '../../electron/services/sync/demo/index.ts'
import { adoptSource, createSyncService, type SyncService } from '../../electron/services/sync/sync-service.ts'
import { customer, event, product, upsert } from '../support/fixtures.ts'

const NOW = new Date('2026-11-22T03:00:00.000Z')
const now = (): Date => NOW

/**
 * A connector serving `pages` in order. The cursor after page i (1-based) is `p{i}`; asking past
 * the end answers an empty last page. Records every cursor it is asked with; can fail a call or
 * hold it until released.
 */
function fakeConnector(pages: RawChange[][], options: { delayMs?: number } = {}) {
  const cursors: (string | null)[] = []
  const failures = new Map<string | null, Error>()
  let gate: Promise<void> | null = null
  const connector: Connector = {
    kind: 'demo',
    send: async () => ({ kind: 'sent' }),
    async pullChanges(cursor: string | null): Promise<ChangePage> {
      cursors.push(cursor)
      const failure = failures.get(cursor)
      if (failure) {
        failures.delete(cursor)
        throw failure
      }
      if (gate) await gate
      if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs))
      const index = cursor === null ? 0 : Number(cursor.slice(1))
      const end = Math.min(index + 1, pages.length)
      return { changes: pages[index] ?? [], cursor: `p${end}`, hasMore: end < pages.length }
    },
    async fetchCustomer() {
      return null
    },
  }
  return {
    connector,
    cursors,
    /** The next pull with this cursor throws `error` (once). */
    failOn(cursor: string | null, error: Error) {
      failures.set(cursor, error)
    },
    /** Holds every pull until the returned function is called. */
    hold(): () => void {
      let release!: () => void
      gate = new Promise((resolve) => (release = resolve))
      return () => {
        gate = null
        release()
      }
    },
  }
}

/** Three pages: the catalog, two members with events, one more member. */
const pages: RawChange[][] = [
  [upsert('store', 'S001', { storeId: 'S001', name: 'Musubi 渋谷店' }), upsert('product', 'SKU-1', product('SKU-1')), upsert('customer', 'M0000001', customer('M0000001'))],
  [
    upsert('customer', 'M0000002', customer('M0000002')),
    upsert('event', 'e1', event('e1')),
    upsert('event', 'e2', event('e2', { memberId: 'M0000002', type: 'purchase', channel: 'store', storeId: 'S001', orderId: 'o1', qty: 1, price: 1490 })),
  ],
  [upsert('customer', 'M0000003', customer('M0000003')), upsert('event', 'e3', event('e3', { memberId: 'M0000003', channel: 'app' }))],
]
const changeCount = pages.flat().length

let db: WritableDB
const services: SyncService[] = []

function service(connector: Connector, connectorKey = 'test', pageSize = 1000): SyncService {
  const created = createSyncService({ db, connector, connectorKey, pageSize, now })
  services.push(created)
  return created
}

/** Lets pending promise callbacks and immediates run. */
const settle = () => new Promise((resolve) => setImmediate(resolve))

beforeEach(() => {
  db = openDatabase(':memory:')
})
afterEach(async () => {
  vi.useRealTimers()
  for (const s of services.splice(0)) await s.stop()
  db.close()
})

describe('createSyncService', () => {
  it('pulls every page in order sending back each cursor, applies them and marks the cache caught up', async () => {
    const fake = fakeConnector(pages)
    const sync = service(fake.connector)
    expect(sync.status()).toMatchObject({ state: 'idle', firstSync: true, lastSuccessAt: null, progress: null, lastError: null })

    const result = await sync.runRound()
    expect(result).toMatchObject({ applied: changeCount, skipped: 0, pages: 3 })
    expect(fake.cursors).toEqual([null, 'p1', 'p2'])
    expect(countCustomers(db)).toBe(3)
    expect(countEvents(db)).toBe(3)
    expect(countProducts(db)).toBe(1)
    expect(readSyncState(db)).toMatchObject({ cursor: 'p3', connectorKey: 'test', fullSyncDone: true, lastSuccessAt: NOW.toISOString() })
    expect(sync.status()).toMatchObject({ state: 'idle', firstSync: false, lastSuccessAt: NOW.toISOString(), progress: null, lastError: null, skippedChanges: 0 })

    // The next round asks from where the last one ended and finds nothing new.
    const again = await sync.runRound()
    expect(again).toMatchObject({ applied: 0, skipped: 0, pages: 1 })
    expect(fake.cursors).toEqual([null, 'p1', 'p2', 'p3'])
  })

  it('ends a sync with every purchase in bought-together, also when its last page is large (nothing left staged)', async () => {
    // 150 members buy SKU-1 and SKU-2 together on the last page: too many purchases for the
    // page itself to merge what it stages.
    const lastPage: RawChange[] = [upsert('product', 'SKU-2', product('SKU-2'))]
    for (let m = 1; m <= 150; m++) {
      const memberId = `M${String(m).padStart(7, '0')}`
      lastPage.push(upsert('customer', memberId, customer(memberId)))
      for (const sku of ['SKU-1', 'SKU-2']) {
        const id = `${memberId}-${sku}`
        lastPage.push(upsert('event', id, event(id, { memberId, type: 'purchase', channel: 'store', storeId: 'S001', sku, qty: 1, price: 1490 })))
      }
    }
    await service(fakeConnector([pages[0]!, lastPage]).connector).runRound()
    expect(db.prepare('SELECT count(*) FROM item_pairs_new').pluck().get()).toBe(0)
    const together = db
      .prepare(`SELECT p.together FROM item_pairs p JOIN items a ON a.id = p.a JOIN items b ON b.id = p.b WHERE a.sku = 'SKU-1' AND b.sku = 'SKU-2'`)
      .pluck()
      .get()
    expect(together).toBe(150)
  })

  it('counts malformed changes as skipped, in the result and the status', async () => {
    const fake = fakeConnector([[upsert('customer', 'M0000001', customer('M0000001')), upsert('customer', 'M0000009', { memberId: 'M0000009' }), upsert('hologram', 'h1', {})]])
    const sync = service(fake.connector)
    expect(await sync.runRound()).toMatchObject({ applied: 1, skipped: 1, pages: 1 })
    expect(sync.status().skippedChanges).toBe(1)
  })

  it('emits syncing with progress counts, then idle', async () => {
    // Pages slower than the 100 ms throttle, so every page's progress is emitted.
    const timing = { delayMs: 110 }
    const fake = fakeConnector(pages, timing)
    const sync = service(fake.connector)
    const seen: SyncStatus[] = []
    const unsubscribe = sync.onStatus((status) => seen.push(status))
    await sync.runRound()
    unsubscribe()

    expect(seen.length).toBeGreaterThanOrEqual(3)
    expect(seen[0]).toMatchObject({ state: 'syncing', firstSync: true, progress: { applied: 0, total: null, counts: { customers: 0, products: 0, events: 0 } } })
    const syncing = seen.filter((s) => s.state === 'syncing')
    expect(syncing.length).toBe(seen.length - 1)
    expect(syncing.at(-1)?.progress).toMatchObject({ applied: changeCount, counts: { customers: 3, products: 1, events: 3 } })
    const applied = syncing.map((s) => s.progress?.applied ?? -1)
    expect(applied).toEqual([...applied].sort((a, b) => a - b))
    expect(seen.at(-1)).toMatchObject({ state: 'idle', progress: null, firstSync: false, lastSuccessAt: NOW.toISOString(), lastError: null })

    // Unsubscribed: no more events.
    timing.delayMs = 0
    await sync.runRound()
    expect(seen.at(-1)?.state).toBe('idle')
    expect(seen.filter((s) => s.state === 'idle')).toHaveLength(1)
  })

  it('shares one round between concurrent callers', async () => {
    const fake = fakeConnector(pages)
    const sync = service(fake.connector)
    const first = sync.runRound()
    const second = sync.runRound()
    expect(second).toBe(first)
    const [a, b, c] = await Promise.all([first, second, sync.runRound()])
    expect(a).toMatchObject({ applied: changeCount, skipped: 0, pages: 3 })
    expect(b).toBe(a)
    expect(c).toBe(a)
    expect(fake.cursors).toEqual([null, 'p1', 'p2'])
    // Once it ended, a new call starts a new round.
    await sync.runRound()
    expect(fake.cursors).toHaveLength(4)
  })

  it('keeps the cursor of the last applied page when the connector fails, and resumes there', async () => {
    const fake = fakeConnector(pages)
    fake.failOn('p2', new Error('connection reset'))
    const sync = service(fake.connector)
    const seen: SyncStatus[] = []
    sync.onStatus((status) => seen.push(status))

    await expect(sync.runRound()).rejects.toThrow('connection reset')
    expect(readSyncState(db)).toMatchObject({ cursor: 'p2', fullSyncDone: false, lastSuccessAt: null })
    expect(countCustomers(db)).toBe(2)
    expect(sync.status()).toMatchObject({ state: 'error', progress: null, firstSync: true, lastError: { code: 'internal', message: 'connection reset' } })
    expect(seen.at(-1)).toMatchObject({ state: 'error', lastError: { message: 'connection reset' } })

    const result = await sync.runRound()
    // Only the page not applied before: nothing applied twice.
    expect(result).toMatchObject({ applied: pages[2]!.length, skipped: 0, pages: 1 })
    expect(fake.cursors).toEqual([null, 'p1', 'p2', 'p2'])
    expect(countCustomers(db)).toBe(3)
    expect(countEvents(db)).toBe(3)
    expect(sync.status()).toMatchObject({ state: 'idle', lastError: null, firstSync: false, lastSuccessAt: NOW.toISOString() })
  })

  it("says offline for AppError('offline') and unauthorized for AppError('unauthorized')", async () => {
    const fake = fakeConnector(pages)
    const sync = service(fake.connector)
    fake.failOn(null, new AppError('offline', 'no network'))
    await expect(sync.runRound()).rejects.toThrow('no network')
    expect(sync.status()).toMatchObject({ state: 'offline', lastError: { code: 'offline', message: 'no network' } })

    fake.failOn(null, new AppError('unauthorized', 'device token revoked'))
    await expect(sync.runRound()).rejects.toThrow('device token revoked')
    expect(sync.status()).toMatchObject({ state: 'unauthorized', lastError: { code: 'unauthorized' } })
    expect(readSyncState(db)?.cursor).toBeNull()
  })

  it('empties the cache when the source changes, and keeps it for the same source', async () => {
    await service(fakeConnector(pages).connector, 'demo|A').runRound()
    writeSetting(db, 'ui.locale', 'en')
    expect(countCustomers(db)).toBe(3)

    adoptSource(db, 'demo|A')
    expect(countCustomers(db)).toBe(3)
    expect(readSyncState(db)).toMatchObject({ connectorKey: 'demo|A', cursor: 'p3', fullSyncDone: true })

    adoptSource(db, 'http|https://profile.example.com|S001')
    expect(countCustomers(db)).toBe(0)
    expect(countEvents(db)).toBe(0)
    expect(countProducts(db)).toBe(0)
    expect(readSyncState(db)).toMatchObject({ connectorKey: 'http|https://profile.example.com|S001', cursor: null, fullSyncDone: false, lastSuccessAt: null })
    // Local tables are not the cache.
    expect(readSetting(db, 'ui.locale')).toBe('en')

    // A service created for another source starts over from no cursor.
    const fake = fakeConnector(pages)
    const sync = service(fake.connector, 'demo|B')
    expect(sync.status().firstSync).toBe(true)
    await sync.runRound()
    expect(fake.cursors[0]).toBeNull()
    expect(countCustomers(db)).toBe(3)
  })

  it('stop() resolves after the running round ends at a page boundary, and no round starts after it', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const fake = fakeConnector(pages)
    const release = fake.hold()
    const sync = service(fake.connector)
    sync.startSchedule(5)
    expect(fake.cursors).toEqual([null])

    let stopped = false
    const stopping = sync.stop().then(() => {
      stopped = true
    })
    await settle()
    await settle()
    expect(stopped).toBe(false)

    release()
    await stopping
    expect(stopped).toBe(true)
    // The page in flight was applied with its cursor; the round asked for no more.
    expect(fake.cursors).toEqual([null])
    expect(readSyncState(db)).toMatchObject({ cursor: 'p1', fullSyncDone: false })
    expect(sync.status().state).not.toBe('syncing')

    vi.advanceTimersByTime(10 * 60_000)
    await settle()
    expect(fake.cursors).toEqual([null])
    expect(vi.getTimerCount()).toBe(0)
    // A round asked for after stop() pulls nothing.
    expect(await sync.runRound()).toMatchObject({ applied: 0, skipped: 0, pages: 0 })
    expect(fake.cursors).toEqual([null])
  })

  it('runs a round on the schedule and keeps errors in the status', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const fake = fakeConnector(pages)
    fake.failOn(null, new AppError('offline', 'no network'))
    const sync = service(fake.connector)
    sync.startSchedule(60)
    await settle()
    expect(sync.status().state).toBe('offline')
    expect(fake.cursors).toEqual([null])

    vi.advanceTimersByTime(60_000)
    for (let i = 0; i < 10 && sync.status().state !== 'idle'; i++) await settle()
    expect(fake.cursors).toEqual([null, null, 'p1', 'p2'])
    expect(sync.status()).toMatchObject({ state: 'idle', firstSync: false, lastError: null })
    await sync.stop()
  })
})

describe('createSyncService with the demo connector', () => {
  const SCALE = 0.01
  const demo = () => createDemoConnector({ scale: SCALE, now: () => new Date('2026-11-22T03:00:00Z') })
  const counts = (target: WritableDB) => ({
    customers: countCustomers(target),
    events: countEvents(target),
    products: countProducts(target),
    inventory: (target.prepare('SELECT count(*) AS n FROM inventory').get() as { n: number }).n,
  })

  /** Behaviour events of members without consent in the whole feed: what the cache must not keep. */
  async function withheldEvents(connector: Connector): Promise<number> {
    const changes: RawChange[] = []
    let cursor: string | null = null
    for (;;) {
      const page: ChangePage = await connector.pullChanges(cursor, 5000)
      changes.push(...page.changes)
      cursor = page.cursor
      if (!page.hasMore) break
    }
    const noConsent = new Set(changes.filter((c) => c.kind === 'customer' && !(c.data as { consent: { personalization: boolean } }).consent.personalization).map((c) => c.id))
    return changes.filter((c) => c.kind === 'event' && ['view', 'cart', 'wishlist'].includes((c.data as { type: string }).type) && noConsent.has((c.data as { memberId: string }).memberId)).length
  }

  it('applies exactly the demo total in a full round, and nothing in the next', async () => {
    const sync = service(demo(), 'demo', 5000)
    const first = await sync.runRound()
    expect(first.applied).toBe(demoTotals(SCALE).total)
    expect(first.skipped).toBe(0)
    // Every event is kept but views, carts and wishlists of members without personalization consent.
    const withheld = await withheldEvents(demo())
    expect(withheld).toBeGreaterThan(0)
    expect(counts(db)).toMatchObject({ customers: demoTotals(SCALE).customers, events: demoTotals(SCALE).events - withheld, products: demoTotals(SCALE).products })
    const second = await sync.runRound()
    expect(second).toMatchObject({ applied: 0, skipped: 0, pages: 1 })
  })

  it('killed halfway and resumed, ends with the same cache as an uninterrupted sync', async () => {
    const pageSize = 1000
    const whole = openDatabase(':memory:')
    try {
      const uninterrupted = createSyncService({ db: whole, connector: demo(), connectorKey: 'demo', pageSize, now })
      await uninterrupted.runRound()
      const expected = counts(whole)

      // The first run dies after 5 pages (the app was killed).
      const inner = demo()
      const delivered: number[] = []
      const killed: Connector = {
        kind: 'demo',
        fetchCustomer: (memberId) => inner.fetchCustomer(memberId),
        send: (request) => inner.send(request),
        async pullChanges(cursor, limit) {
          if (delivered.length === 5) throw new Error('killed')
          const page = await inner.pullChanges(cursor, limit)
          delivered.push(page.changes.length)
          return page
        },
      }
      await expect(service(killed, 'demo', pageSize).runRound()).rejects.toThrow('killed')
      const savedCursor = readSyncState(db)?.cursor
      expect(savedCursor).toMatch(/:5000$/)

      // The next start: a new connector and service over the same database.
      const resumedConnector = demo()
      const asked: (string | null)[] = []
      const watching: Connector = {
        kind: 'demo',
        fetchCustomer: (memberId) => resumedConnector.fetchCustomer(memberId),
        send: (request) => resumedConnector.send(request),
        pullChanges(cursor, limit) {
          asked.push(cursor)
          return resumedConnector.pullChanges(cursor, limit)
        },
      }
      const resumed = await service(watching, 'demo', pageSize).runRound()
      expect(asked[0]).toBe(savedCursor)
      const before = delivered.reduce((a, b) => a + b, 0)
      expect(before + resumed.applied).toBe(demoTotals(SCALE).total)
      expect(counts(db)).toEqual(expected)
      expect(readSyncState(db)?.fullSyncDone).toBe(true)
    } finally {
      whole.close()
    }
  })
})
