// A first sync stages its events and sorts them into place at the end (db/staged-events.ts).
// What it leaves must be what applying the same pages one by one leaves.
import { searchIndexer } from '../../electron/services/db/search-indexer.ts'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { ProfileEvent, RawChange } from '../../shared/records.ts'
import { searchCustomers } from '../../electron/services/db/customers.ts'
import Database from 'better-sqlite3'
import { encodeEventRows, storedAt, type EventRow } from '../../electron/services/db/event-rows.ts'
import { inTransaction, type WritableDB } from '../../electron/services/db/handle.ts'
import { migrate, openDatabase } from '../../electron/services/db/open.ts'
import { migrations } from '../../electron/services/db/migrations/index.ts'
import { countStagedEvents, mergeStagedEvents } from '../../electron/services/db/staged-events.ts'
import { attachStagedRows, detachStagedRows, newStagingId, stagedRowsReader, stagedRowsSchema, stagingId } from '../../electron/services/db/staged-rows.ts'
import { readSyncState } from '../../electron/services/db/sync-state.ts'
import { applyPage } from '../../electron/services/sync/apply.ts'
import type { ChangePage, Connector } from '../../electron/services/sync/connector.ts'
import { beginStaging, finishStaging } from '../../electron/services/sync/first-sync.ts'
import { adoptSource, createSyncService } from '../../electron/services/sync/sync-service.ts'
import { customer, del, event, upsert } from '../support/fixtures.ts'
import { prng } from '../support/random.ts'

const open: WritableDB[] = []
function freshDb(): WritableDB {
  const db = openDatabase(':memory:')
  adoptSource(db, 'test')
  open.push(db)
  return db
}
afterEach(() => {
  for (const db of open.splice(0)) db.close()
})

const rowsOf = (db: WritableDB) => db.prepare('SELECT * FROM events ORDER BY id').all()

/** Strings that JSON escapes or SQLite could read differently: quotes, backslashes, NUL, line separators, astral characters. */
const oddTexts = ['', 'a"b\\c', '😀', 'a\u0000b', 'ﾊﾝｶｸ', 'line\u2028break', '\t\n']

/**
 * Pages of a feed with everything that makes staging hard: ids delivered again (changed), events
 * deleted and delivered again, members deleted (with events before and after), consent
 * withdrawn before and after a member's views, views of members not in the cache.
 */
function randomFeed(seed: number): RawChange[][] {
  const random = prng(seed)
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!
  const members = Array.from({ length: 12 }, (_, i) => `M${String(i + 1).padStart(7, '0')}`)
  const types = ['view', 'cart', 'wishlist', 'purchase', 'coupon_redeemed'] as const
  const ids: string[] = []
  const withdrawn = new Set<string>()
  const changes: RawChange[] = []
  for (let i = 0; i < 400; i++) {
    const roll = random()
    if (roll < 0.12) {
      // Consent is given or withdrawn, never given back: a member whose consent returns gets their
      // history fetched again (profile-api.md 2), which a feed alone does not show.
      const memberId = pick(members)
      const consent = !withdrawn.has(memberId) && random() < 0.7
      if (!consent) withdrawn.add(memberId)
      changes.push(upsert('customer', memberId, customer(memberId, { consent: { personalization: consent } })))
    } else if (roll < 0.15) {
      const memberId = pick(members)
      withdrawn.delete(memberId)
      changes.push(del('customer', memberId))
    }
    else if (roll < 0.2 && ids.length > 0) changes.push(del('event', pick(ids)))
    else {
      // A new id, or one delivered before (with another member, type or time).
      const id = ids.length > 0 && random() < 0.25 ? pick(ids) : `e${ids.push(`e${ids.length}`) - 1}`
      const at = `2026-${pick(['03', '07', '11'])}-${pick(['02', '17', '29', '30'])}T0${Math.floor(random() * 10)}:00:00${pick(['.000Z', 'Z', '+09:00'])}`
      // Values that travel through a staged batch (JSON) as they are, or as binding stores them.
      const extras: Partial<ProfileEvent> = {}
      if (random() < 0.3) extras.sku = pick(oddTexts)
      if (random() < 0.2) extras.qty = pick([0, 1, -2, Number.MAX_SAFE_INTEGER])
      if (random() < 0.2) extras.price = pick([0, 1980, -500, Number.MIN_SAFE_INTEGER])
      if (random() < 0.2) extras.orderId = pick(oddTexts)
      if (random() < 0.1) extras.storeId = pick(oddTexts)
      if (random() < 0.1) extras.couponCode = pick(oddTexts)
      changes.push(upsert('event', id, event(id, { memberId: pick(members.concat('M9999999')), type: pick(types), at, ...extras })))
    }
  }
  const pages: RawChange[][] = []
  for (let i = 0; i < changes.length; i += 37) pages.push(changes.slice(i, i + 37))
  return pages
}

describe('staged events of a first sync', () => {
  it('leave the events that applying the pages one by one leaves (random feeds)', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const direct = freshDb()
      const staged = freshDb()
      const pages = randomFeed(seed)
      pages.forEach((page, i) => {
        applyPage(direct, page, `c${i}`, 1)
        applyPage(staged, page, `c${i}`, 1, { staged: true })
      })
      expect(rowsOf(staged), `before the merge, seed ${seed}`).toEqual([])
      expect(countStagedEvents(staged)).toBeGreaterThan(0)
      inTransaction(staged, () => mergeStagedEvents(staged))
      expect(rowsOf(staged), `seed ${seed}`).toEqual(rowsOf(direct))
      expect(rowsOf(direct).length, `seed ${seed} keeps some events`).toBeGreaterThan(20)
      expect(countStagedEvents(staged)).toBe(0)
      expect(staged.prepare('SELECT count(*) FROM events_staged_deletes').pluck().get()).toBe(0)
    }
  })

  it('win over an event the cache got another way meanwhile, and keep the indexes of events', () => {
    const db = freshDb()
    const indexes = () => db.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'events' ORDER BY name").all()
    const before = indexes()
    // Fetched on demand (not staged), then the feed brings the same event changed.
    // e0 too, which the feed does not deliver.
    applyPage(db, [upsert('customer', 'M0000001', customer('M0000001')), upsert('event', 'e0', event('e0')), upsert('event', 'e1', event('e1'))], null, 1)
    applyPage(db, [upsert('event', 'e1', event('e1', { type: 'purchase' })), upsert('event', 'e2', event('e2')), upsert('event', 'e3', event('e3'))], 'c1', 1, { staged: true })
    inTransaction(db, () => mergeStagedEvents(db))
    expect(db.prepare('SELECT id, type FROM events ORDER BY id').all()).toEqual([
      { id: 'e0', type: 'view' },
      { id: 'e1', type: 'purchase' },
      { id: 'e2', type: 'view' },
      { id: 'e3', type: 'view' },
    ])
    // More staged rows than held: the indexes were dropped for the move and built again.
    expect(indexes()).toEqual(before)
    expect(before.map((i) => (i as { name: string }).name)).toContain('events_member_at')
  })

  it('go in through the id index when the cache holds more events than were staged (a resync)', () => {
    const direct = freshDb()
    const staged = freshDb()
    const held = Array.from({ length: 6 }, (_, i) => upsert('event', `e${i}`, event(`e${i}`)))
    const later = [upsert('event', 'e2', event('e2', { type: 'purchase', sku: 'SKU-9' })), upsert('event', 'e9', event('e9')), upsert('event', 'e2', event('e2', { type: 'cart' }))]
    for (const db of [direct, staged]) applyPage(db, [upsert('customer', 'M0000001', customer('M0000001')), ...held], 'c0', 1)
    applyPage(direct, later, 'c1', 1)
    applyPage(staged, later, 'c1', 1, { staged: true })
    inTransaction(staged, () => mergeStagedEvents(staged))
    expect(rowsOf(staged)).toEqual(rowsOf(direct))
    expect(staged.prepare("SELECT type FROM events WHERE id = 'e2'").pluck().get()).toBe('cart')
    expect(staged.prepare("SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'events'").pluck().get()).toBe(4)
  })
})

describe('staged batches', () => {
  it('read back through JSONB exactly as binding the values stores them, lone surrogates too', () => {
    const db = freshDb()
    for (const text of ['x\ud800y', '\udc00', '😀', 'a\u0000b', 'a"b\\c', '', 'ﾊﾝｶｸ\u2028']) {
      const row: EventRow = ['e1', text, 'view', 'web', text, Number.MAX_SAFE_INTEGER, -5, null, text, null, '2026-11-20T05:00:00.000Z']
      const read = db.prepare('SELECT r.value ->> 1 AS a, r.value ->> 4 AS b, r.value ->> 5 AS q, r.value ->> 7 AS n FROM jsonb_each(jsonb(?)) AS r').get(encodeEventRows([row]))
      const bound = db.prepare('SELECT ? AS a, ? AS b, ? AS q, ? AS n').get(text, text, Number.MAX_SAFE_INTEGER, null)
      expect(read, JSON.stringify(text)).toEqual(bound)
    }
  })

  it('a first sync staged row by row (before migration 100) ends as it would have', () => {
    const db = new Database(':memory:') as WritableDB
    open.push(db)
    for (const migration of migrations.filter((m) => m.version <= 90)) migration.up(db)
    db.pragma('user_version = 90')
    const row = (id: string, memberId: string, type: string) => [id, memberId, type, 'web', 'SKU-1', null, null, null, null, null, '2026-11-20T05:00:00.000Z', 1]
    const stage = db.prepare('INSERT INTO events_staged VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
    stage.run(row('e1', 'M0000001', 'view'))
    stage.run(row('e2', 'M0000001', 'view'))
    stage.run(row('e1', 'M0000002', 'purchase'))
    // e2 deleted after the three rows above; e3 and e2 again after that.
    db.prepare('INSERT INTO events_staged_deletes (staged_upto, id, member_id) VALUES (3, ?, NULL)').run('e2')
    stage.run(row('e3', 'M0000001', 'cart'))
    db.prepare('INSERT INTO events_staged_deletes (staged_upto, id, member_id) VALUES (4, NULL, ?)').run('M0000001')
    stage.run(row('e4', 'M0000001', 'view'))
    migrate(db)
    expect(countStagedEvents(db)).toBe(5)
    inTransaction(db, () => mergeStagedEvents(db))
    expect(db.prepare('SELECT id, member_id, type FROM events ORDER BY id').all()).toEqual([
      { id: 'e1', member_id: 'M0000002', type: 'purchase' },
      { id: 'e4', member_id: 'M0000001', type: 'view' },
    ])
  })
})

describe('staged events read into rows meanwhile (db/staged-rows.ts)', () => {
  const dirs: string[] = []
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
  })
  function fileDb(name: string): WritableDB {
    const dir = mkdtempSync(join(tmpdir(), 'musubi-staged-rows-'))
    dirs.push(dir)
    const db = openDatabase(join(dir, `${name}.db`))
    adoptSource(db, 'test')
    open.push(db)
    inTransaction(db, () => newStagingId(db))
    return db
  }
  const lastBatch = (db: WritableDB) => db.prepare('SELECT coalesce(max(seq), 0) FROM events_staged_batches').pluck().get() as number
  async function readAll(db: WritableDB): Promise<void> {
    const reader = stagedRowsReader(db)!
    reader.start(stagingId(db)!)
    const until = Date.now() + 20_000
    for (;;) {
      let upto = 0
      if (reader.exists()) {
        const rows = new Database(reader.file, { readonly: true })
        try {
          upto = (rows.prepare('SELECT upto FROM meta').pluck().get() as number | undefined) ?? 0
        } catch {
          // The worker has created the file, not its tables yet.
        } finally {
          rows.close()
        }
      }
      if (upto === lastBatch(db)) break
      if (Date.now() > until) throw new Error(`the reader read up to batch ${upto} of ${lastBatch(db)}`)
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  }
  function merge(db: WritableDB): number {
    const readUpto = attachStagedRows(db)
    try {
      inTransaction(db, () => mergeStagedEvents(db, readUpto))
    } finally {
      detachStagedRows(db)
    }
    return readUpto
  }

  it('hold the columns of events as events does, so the move copies whole records', () => {
    const db = freshDb()
    db.exec(stagedRowsSchema(db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'events'").pluck().get() as string))
    const columns = (table: string) => db.prepare(`SELECT name, type, "notnull" FROM pragma_table_info(?)`).all(table)
    expect(columns('rows')).toEqual(columns('events'))
    const strict = (table: string) => (db.prepare('SELECT strict FROM pragma_table_list WHERE name = ?').get(table) as { strict: number }).strict
    expect([strict('rows'), strict('events')]).toEqual([1, 1])
  })

  it('leave what the batches alone leave: read up to a batch by the worker, the rest at the move (random feeds)', async () => {
    for (let seed = 1; seed <= 3; seed++) {
      const pages = randomFeed(seed)
      const withRows = fileDb('with')
      const alone = freshDb()
      const half = Math.floor(pages.length / 2)
      pages.forEach((page, i) => {
        applyPage(withRows, page, `c${i}`, 1, { staged: true })
        applyPage(alone, page, `c${i}`, 1, { staged: true })
      })
      // The worker reads what is staged so far; more is staged after it stopped.
      const staged = lastBatch(withRows)
      await readAll(withRows)
      await stagedRowsReader(withRows)!.stop()
      randomFeed(seed + 100).slice(0, half).forEach((page, i) => {
        applyPage(withRows, page, `d${i}`, 1, { staged: true })
        applyPage(alone, page, `d${i}`, 1, { staged: true })
      })
      expect(lastBatch(withRows)).toBeGreaterThan(staged)
      expect(merge(withRows), `seed ${seed}`).toBe(staged)
      inTransaction(alone, () => mergeStagedEvents(alone))
      expect(rowsOf(withRows), `seed ${seed}`).toEqual(rowsOf(alone))
      expect(rowsOf(alone).length).toBeGreaterThan(20)
    }
  })

  it('that cannot be copied are dropped, and the batches read instead', async () => {
    const db = fileDb('damaged')
    randomFeed(6).forEach((page, i) => applyPage(db, page, `c${i}`, 1, { staged: true }))
    const direct = freshDb()
    randomFeed(6).forEach((page, i) => applyPage(direct, page, `c${i}`, 1))
    // A rows file of this staging whose table does not have the shape of events.
    const file = stagedRowsReader(db)!.file
    const rows = new Database(file)
    rows.exec('CREATE TABLE rows (a, b); CREATE TABLE meta (id INTEGER PRIMARY KEY, staging TEXT, upto INTEGER)')
    rows.prepare("INSERT INTO rows VALUES ('x', 'y')").run()
    rows.prepare('INSERT INTO meta VALUES (1, ?, ?)').run(stagingId(db), lastBatch(db))
    rows.close()
    await finishStaging(db, () => undefined, () => undefined)
    expect(rowsOf(db)).toEqual(rowsOf(direct))
    expect(existsSync(file)).toBe(false)
  })

  it('of another staging are not used', async () => {
    const db = fileDb('other')
    randomFeed(5).forEach((page, i) => applyPage(db, page, `c${i}`, 1, { staged: true }))
    const direct = freshDb()
    randomFeed(5).forEach((page, i) => applyPage(direct, page, `c${i}`, 1))
    await readAll(db)
    await stagedRowsReader(db)!.stop()
    // A new staging (as when a first sync starts over): the rows read for the one before stay unused.
    inTransaction(db, () => newStagingId(db))
    expect(merge(db)).toBe(0)
    expect(rowsOf(db)).toEqual(rowsOf(direct))
  })
})

describe('events keyed by id before migration 130', () => {
  it('keep their rows and indexes, the id unique', () => {
    const db = new Database(':memory:') as WritableDB
    open.push(db)
    for (const migration of migrations.filter((m) => m.version <= 120)) migration.up(db)
    db.pragma('user_version = 120')
    const insert = db.prepare('INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
    insert.run('e2', 'M0000001', 'purchase', 'store', 'SKU-1', 2, 1980, 'O1', 'S001', null, '2026-11-20T05:00:00.000Z', 1)
    insert.run('e1', 'M0000001', 'view', 'web', 'SKU-2', null, null, null, null, null, '2026-11-19T05:00:00.000Z', 1)
    const before = db.prepare('SELECT * FROM events ORDER BY id').all()
    migrate(db)
    expect(db.prepare('SELECT * FROM events ORDER BY id').all()).toEqual(before)
    const indexes = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'events' ORDER BY name").pluck().all()
    expect(indexes).toEqual(['events_coupon', 'events_id', 'events_member_at', 'events_member_purchases'])
    expect(() => db.prepare("INSERT INTO events (id, member_id, type, channel, at, sync_gen) VALUES ('e1', 'M', 'view', 'web', 'x', 1)").run()).toThrow(/UNIQUE/)
  })
})

describe('storedAt', () => {
  it('answers what toISOString answers, taking the short way only where that is the same, and null for no time', () => {
    const random = prng(7)
    const samples = ['2026-02-28T23:59:59.999Z', '2026-02-29T00:00:00.000Z', '2026-02-30T10:00:00.000Z', '2026-04-31T00:00:00.000Z', '2026-01-01T24:00:00.000Z', '2026-11-20T05:00:00Z', '2026-11-20T14:00:00+09:00', '2026-11-20T05:00:00.5Z']
    for (let i = 0; i < 5000; i++) {
      const pad = (n: number) => String(n).padStart(2, '0')
      samples.push(`20${pad(Math.floor(random() * 40))}-${pad(1 + Math.floor(random() * 12))}-${pad(1 + Math.floor(random() * 31))}T${pad(Math.floor(random() * 25))}:${pad(Math.floor(random() * 60))}:${pad(Math.floor(random() * 60))}.${String(Math.floor(random() * 1000)).padStart(3, '0')}Z`)
    }
    let refused = 0
    for (const at of [...samples, '', 'not a time', '2026-13-45']) {
      if (Number.isNaN(Date.parse(at))) {
        expect(storedAt(at), at).toBeNull()
        refused++
      } else expect(storedAt(at), at).toBe(new Date(at).toISOString())
    }
    expect(refused).toBeGreaterThan(100)
  })
})

describe('a first sync through the sync service', () => {
  function connector(pages: RawChange[][]): Connector & { pulls: number } {
    return {
      kind: 'demo',
      pulls: 0,
      send: async () => ({ kind: 'sent' }),
      async pullChanges(cursor: string | null): Promise<ChangePage> {
        this.pulls++
        const index = cursor === null ? 0 : Number(cursor.slice(1))
        return { changes: pages[index] ?? [], cursor: `p${index + 1}`, hasMore: index + 1 < pages.length }
      },
      async fetchCustomer() {
        return null
      },
    }
  }
  const feed: RawChange[][] = [
    [upsert('customer', 'M0000001', customer('M0000001')), upsert('customer', 'M0000002', customer('M0000002', { displayName: '佐藤 花子', nameKana: 'サトウ ハナコ' }))],
    [
      upsert('event', 'p1', event('p1', { type: 'purchase', sku: 'SKU-1', channel: 'store', storeId: 'S001', at: '2026-11-20T05:00:00.000Z' })),
      upsert('event', 'p2', event('p2', { type: 'purchase', sku: 'SKU-2', channel: 'store', storeId: 'S001', at: '2026-11-20T05:00:00.000Z' })),
      upsert('event', 'v1', event('v1', { memberId: 'M0000002' })),
    ],
    [upsert('event', 'v2', event('v2', { memberId: 'M0000002' }))],
  ]
  const automerge = (db: WritableDB) => searchIndexer(db).search.prepare("SELECT v FROM customers_fts_config WHERE k = 'automerge'").pluck().get()

  it('stages its events, then puts them in place, counts bought-together and merges search when caught up', async () => {
    const db = freshDb()
    const source = connector(feed)
    const sync = createSyncService({ db, connector: source, connectorKey: 'test', pageSize: 100, now: () => new Date('2026-11-22T00:00:00.000Z') })
    const seen: { staged: number; events: number; staging: boolean; finishing: boolean; cacheSize: number }[] = []
    const cacheSize = () => db.pragma('cache_size', { simple: true }) as number
    const before = cacheSize()
    sync.onStatus((status) =>
      seen.push({
        staged: countStagedEvents(db),
        events: db.prepare('SELECT count(*) FROM events').pluck().get() as number,
        staging: readSyncState(db)!.staging,
        finishing: status.progress?.finishing ?? false,
        cacheSize: cacheSize(),
      }),
    )
    await sync.runRound()
    // A smaller page cache while staging, and the register's own back at the end.
    expect(before).toBe(-65536)
    expect(seen.filter((s) => s.staging).map((s) => s.cacheSize)).toContain(-16384)
    expect(cacheSize()).toBe(before)
    // When the window is told the finish has begun, every event is staged and none is in events.
    expect(seen.some((s) => s.staging && s.finishing && s.staged === 4 && s.events === 0)).toBe(true)
    expect(readSyncState(db)).toMatchObject({ staging: false, fullSyncDone: true })
    expect(countStagedEvents(db)).toBe(0)
    expect(db.prepare('SELECT id FROM events ORDER BY id').pluck().all()).toEqual(['p1', 'p2', 'v1', 'v2'])
    expect(db.prepare('SELECT together FROM item_pairs').pluck().all()).toEqual([1, 1])
    expect(automerge(db)).toBe(4)
    expect(searchCustomers(db, 'さとう').map((c) => c.memberId)).toEqual(['M0000002'])
    // Later rounds are deltas: applied to events directly.
    await sync.runRound()
    expect(readSyncState(db)!.staging).toBe(false)
  })

  it('moves the events with a rollback journal on a file of its own, and in the WAL when another connection has it open', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'musubi-finish-'))
    try {
      for (const shared of [false, true]) {
        const file = join(dir, `${shared}.db`)
        const db = openDatabase(file)
        open.push(db)
        adoptSource(db, 'test')
        const other = shared ? new Database(file, { readonly: true }) : null
        other?.prepare('SELECT count(*) FROM customers').get()
        const sync = createSyncService({ db, connector: connector(feed), connectorKey: 'test', pageSize: 100, now: () => new Date('2026-11-22T00:00:00.000Z') })
        // The journal of each step of the finish, as the window is told it begins.
        const modes: unknown[] = []
        sync.onStatus((status) => {
          if (status.progress?.finishing) modes.push(db.pragma('journal_mode', { simple: true }))
        })
        await sync.runRound()
        other?.close()
        // The events move with a rollback journal; bought-together is counted in the WAL.
        expect(modes).toEqual([shared ? 'wal' : 'truncate', 'wal'])
        expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
        expect(readSyncState(db)).toMatchObject({ staging: false, fullSyncDone: true })
        expect(db.prepare('SELECT id FROM events ORDER BY id').pluck().all()).toEqual(['p1', 'p2', 'v1', 'v2'])
        expect(db.prepare('SELECT together FROM item_pairs').pluck().all()).toEqual([1, 1])
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
      }
    } finally {
      for (const db of open.splice(0)) db.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('ends a first sync that stopped in its finish (events moved, the rest not), in the next round', async () => {
    const db = freshDb()
    // The state a crash after the finish's first step leaves: every page applied and staged, the
    // cursor after the last one, the events moved, bought-together and search not done.
    beginStaging(db)
    feed.forEach((page, i) => applyPage(db, page, `p${i + 1}`, 1, { staged: true }))
    inTransaction(db, () => mergeStagedEvents(db))
    expect(automerge(db)).toBe(0)
    const source = connector(feed)
    const sync = createSyncService({ db, connector: source, connectorKey: 'test', pageSize: 100, now: () => new Date('2026-11-22T00:00:00.000Z') })
    await sync.runRound()
    expect(source.pulls).toBe(1)
    expect(readSyncState(db)).toMatchObject({ staging: false, fullSyncDone: true })
    expect(db.prepare('SELECT id FROM events ORDER BY id').pluck().all()).toEqual(['p1', 'p2', 'v1', 'v2'])
    expect(db.prepare('SELECT together FROM item_pairs').pluck().all()).toEqual([1, 1])
    expect(automerge(db)).toBe(4)
  })
})
