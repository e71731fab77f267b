// The customer search index in its own file, fed from the queue by a worker thread or by the
// register's thread: what a search finds after adds, changes, removals and a reset; replay after a
// crash; an index file lost or from before the queue.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Worker } from 'node:worker_threads'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { deleteCustomer, searchCustomers, upsertCustomer } from '../../electron/services/db/customers.ts'
import { inTransaction, type WritableDB } from '../../electron/services/db/handle.ts'
import { migrations } from '../../electron/services/db/migrations/index.ts'
import { openDatabase } from '../../electron/services/db/open.ts'
import { searchFileFor, searchWatermark } from '../../electron/services/db/search-index.ts'
import { searchIndexer, type SearchIndexer } from '../../electron/services/db/search-indexer.ts'
import { resetCache } from '../../electron/services/db/sync-state.ts'
import { adoptSource } from '../../electron/services/sync/sync-service.ts'
import { customer } from '../support/fixtures.ts'

const dirs: string[] = []
function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'musubi-search-'))
  dirs.push(dir)
  return join(dir, 'musubi.db')
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

const memberId = (i: number) => `M${String(i).padStart(7, '0')}`
/** Customers 1..n, each with a name of their own (a word no other has) and a shared one. */
function addCustomers(db: WritableDB, from: number, to: number, name = (i: number) => `Tanaka Kw${i}x`): void {
  inTransaction(db, () => {
    for (let i = from; i <= to; i++) upsertCustomer(db, customer(memberId(i), { displayName: name(i) }), 1)
  })
}
/** A register's database in a file, its index fed by a worker thread. */
function fedByWorker(file = tempFile()): { db: WritableDB; indexer: SearchIndexer } {
  const db = openDatabase(file)
  adoptSource(db, 'test')
  const indexer = searchIndexer(db)
  indexer.useWorker()
  return { db, indexer }
}
const ids = (db: WritableDB, query: string, limit = 20) => searchCustomers(db, query, limit).map((c) => c.memberId)
const queued = (db: WritableDB) => db.prepare('SELECT count(*) FROM search_queue').pluck().get() as number

describe('the search index fed from this thread (a database in memory)', () => {
  it('finds added customers, changed names under the new name only, and none once removed or reset', () => {
    const db = openDatabase(':memory:')
    adoptSource(db, 'test')
    addCustomers(db, 1, 3)
    expect(ids(db, 'kw2x')).toEqual([memberId(2)])
    addCustomers(db, 2, 2, () => 'Suzuki Ichiro')
    expect(ids(db, 'kw2x')).toEqual([])
    expect(ids(db, 'suzuki')).toEqual([memberId(2)])
    inTransaction(db, () => deleteCustomer(db, memberId(3)))
    expect(ids(db, 'kw3x')).toEqual([])
    expect(ids(db, 'tanaka')).toEqual([memberId(1)])
    inTransaction(db, () => resetCache(db, 'other'))
    expect(ids(db, 'tanaka')).toEqual([])
    expect(ids(db, 'suzuki')).toEqual([])
    // Row ids start over after the reset: a new customer is not mistaken for an old one.
    addCustomers(db, 7, 7, () => 'Sato Hanako')
    expect(ids(db, 'sato')).toEqual([memberId(7)])
    expect(ids(db, 'suzuki')).toEqual([])
    db.close()
  })

  it('keeps the register going when the index cannot take in changes, and catches up once it can', async () => {
    const db = openDatabase(':memory:')
    adoptSource(db, 'test')
    const indexer = searchIndexer(db)
    addCustomers(db, 1, 3)
    expect(ids(db, 'kw1x')).toEqual([memberId(1)])
    // The index refuses every commit, as a full disk would.
    for (const when of ['INSERT', 'UPDATE']) indexer.search.exec(`CREATE TEMP TRIGGER refuse_${when} BEFORE ${when} ON meta BEGIN SELECT RAISE(FAIL, 'database or disk is full'); END`)
    addCustomers(db, 4, 4)
    await indexer.idle()
    expect(indexer.stalled).toMatch(/disk is full/)
    expect(ids(db, 'kw4x')).toEqual([])
    expect(ids(db, 'kw2x')).toEqual([memberId(2)])
    expect(queued(db)).toBeGreaterThan(0)
    for (const when of ['INSERT', 'UPDATE']) indexer.search.exec(`DROP TRIGGER refuse_${when}`)
    await indexer.idle()
    expect(indexer.stalled).toBeNull()
    expect(ids(db, 'kw4x')).toEqual([memberId(4)])
    expect(queued(db)).toBe(0)
    db.close()
  })

  it('lets a search wait for a customer just stored, not for a bulk load', async () => {
    const db = openDatabase(':memory:')
    adoptSource(db, 'test')
    const indexer = searchIndexer(db)
    const indexed = (word: string) => indexer.search.prepare('SELECT rowid FROM customers_fts WHERE customers_fts MATCH ?').pluck().all(word).length
    addCustomers(db, 1, 1)
    await indexer.settled(5000)
    expect(indexed('kw1x')).toBe(1)
    // More than one message behind: it does not wait (here, where it would feed the index itself,
    // it does not even start).
    addCustomers(db, 2, 6002)
    await indexer.settled(5000)
    expect(indexed('kw6002x')).toBe(0)
    await indexer.idle()
    expect(indexed('kw6002x')).toBe(1)
    db.close()
  })

  it('takes nothing from a transaction that rolled back', async () => {
    const db = openDatabase(':memory:')
    adoptSource(db, 'test')
    expect(() =>
      inTransaction(db, () => {
        upsertCustomer(db, customer(memberId(1), { displayName: 'Ghost Person' }), 1)
        throw new Error('page refused')
      }),
    ).toThrow('page refused')
    await searchIndexer(db).idle()
    expect(ids(db, 'ghost')).toEqual([])
    expect(queued(db)).toBe(0)
    db.close()
  })
})

describe('the search index fed by its worker thread', () => {
  it('indexes what was queued, in order, and the queue empties once the index has it', async () => {
    const file = tempFile()
    const { db, indexer } = fedByWorker(file)
    for (let from = 1; from <= 12_000; from += 1000) addCustomers(db, from, from + 999)
    addCustomers(db, 5, 5, () => 'Renamed Person')
    inTransaction(db, () => deleteCustomer(db, memberId(6)))
    await indexer.idle()
    expect(indexer.workerFailure).toBeNull()
    expect(existsSync(searchFileFor(file))).toBe(true)
    expect(ids(db, 'kw11999x')).toEqual([memberId(11_999)])
    expect(ids(db, 'kw5x')).toEqual([])
    expect(ids(db, 'renamed')).toEqual([memberId(5)])
    expect(ids(db, 'kw6x')).toEqual([])
    expect(ids(db, 'tanaka', 50_000)).toHaveLength(11_998)
    expect(queued(db)).toBe(0)
    expect(searchWatermark(indexer.search)).toBe(db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'search_queue'").pluck().get())
    db.close()
  })

  it('merges the index at the end of a bulk load, after what was queued before it', async () => {
    const { db, indexer } = fedByWorker()
    const automerge = () => indexer.search.prepare("SELECT v FROM customers_fts_config WHERE k = 'automerge'").pluck().get()
    const segments = () => indexer.search.prepare('SELECT count(DISTINCT segid) FROM customers_fts_idx').pluck().get()
    indexer.bulk(true)
    for (let from = 1; from <= 6000; from += 500) addCustomers(db, from, from + 499)
    await indexer.settled(0)
    indexer.bulk(false)
    await indexer.idle()
    expect(automerge()).toBe(4)
    expect(segments()).toBe(1)
    expect(ids(db, 'kw6000x')).toEqual([memberId(6000)])
    expect(ids(db, 'tanaka', 10_000)).toHaveLength(6000)
    db.close()
  })

  it('catches up after the process stopped with changes queued and not yet indexed', async () => {
    const file = tempFile()
    let db = fedByWorker(file).db
    addCustomers(db, 1, 3000)
    // Closed at once: the worker is stopped wherever it is; the queue keeps the rest.
    db.close()
    db = openDatabase(file)
    expect(queued(db)).toBeGreaterThan(0)
    searchIndexer(db).useWorker()
    addCustomers(db, 1, 1, () => 'Later Name')
    await searchIndexer(db).idle()
    expect(ids(db, 'tanaka', 5000)).toHaveLength(2999)
    expect(ids(db, 'later')).toEqual([memberId(1)])
    expect(ids(db, 'kw1x')).toEqual([])
    expect(queued(db)).toBe(0)
    db.close()
  })

  it('stops its worker when it has had nothing to do for a while, and starts one for the next change', async () => {
    const { db, indexer } = fedByWorker()
    const worker = () => (indexer as unknown as { worker: Worker | null }).worker
    indexer.retireAfterMs = 20
    addCustomers(db, 1, 100)
    await indexer.idle()
    const first = worker()
    expect(first).not.toBeNull()
    await new Promise((resolve) => first!.once('exit', resolve))
    expect(worker()).toBeNull()
    addCustomers(db, 101, 200)
    await indexer.idle()
    expect(worker()).not.toBeNull()
    expect(worker()).not.toBe(first)
    expect(indexer.workerFailure).toBeNull()
    expect(ids(db, 'tanaka', 1000)).toHaveLength(200)
    db.close()
  })

  it('goes on from this thread when the worker dies, losing nothing', async () => {
    const { db, indexer } = fedByWorker()
    addCustomers(db, 1, 2000)
    await indexer.idle()
    addCustomers(db, 2001, 4000)
    await (indexer as unknown as { worker: Worker }).worker.terminate()
    addCustomers(db, 4001, 5000)
    await indexer.idle()
    expect(indexer.workerFailure).toMatch(/stopped/)
    expect(ids(db, 'tanaka', 10_000)).toHaveLength(5000)
    db.close()
  })

  it('is built again from the customers when its file is lost', async () => {
    const file = tempFile()
    let db = openDatabase(file)
    adoptSource(db, 'test')
    addCustomers(db, 1, 500)
    await searchIndexer(db).idle()
    db.close()
    for (const suffix of ['', '-wal', '-shm']) rmSync(searchFileFor(file) + suffix, { force: true })
    db = openDatabase(file)
    searchIndexer(db).useWorker()
    await searchIndexer(db).idle()
    expect(ids(db, 'tanaka', 1000)).toHaveLength(500)
    db.close()
  })

  it('is built again when its file is not a database SQLite can read', () => {
    const file = tempFile()
    let db = openDatabase(file)
    adoptSource(db, 'test')
    addCustomers(db, 1, 20)
    db.close()
    for (const suffix of ['-wal', '-shm']) rmSync(searchFileFor(file) + suffix, { force: true })
    writeFileSync(searchFileFor(file), Buffer.alloc(8192, 0x5a))
    db = openDatabase(file)
    expect(ids(db, 'tanaka')).toHaveLength(20)
    db.close()
  })

  it('is built from the customers of a register whose index was in its own database (schema 110)', () => {
    const file = tempFile()
    const old = new Database(file) as WritableDB
    for (const migration of migrations.filter((m) => m.version <= 110)) migration.up(old)
    old.pragma('user_version = 110')
    old.prepare("INSERT INTO customers (member_id, record, updated_at, sync_gen, personalization) VALUES (?, ?, '2026-11-01T00:00:00.000Z', 1, 1)").run(
      memberId(1),
      JSON.stringify(customer(memberId(1), { displayName: 'Yamada Taro' })),
    )
    old.close()
    const db = openDatabase(file)
    expect(db.prepare("SELECT count(*) FROM sqlite_schema WHERE name LIKE 'customers_fts%'").pluck().get()).toBe(0)
    expect(ids(db, 'yamada')).toEqual([memberId(1)])
    db.close()
  })
})
