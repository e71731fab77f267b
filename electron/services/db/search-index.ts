// The customer search index: FTS5 over each customer's search terms, in a database file of its
// own beside the register's, so that a worker thread can build it while the main thread goes on
// with the feed (db/search-indexer.ts). Measured at a first sync of 1M customers: the index is 18
// of the ~30 µs each customer costs, on one core of two while the other was two-thirds idle.
//
// Customer writes say what changed in `search_queue`, in their own transaction (enqueueSearch);
// the index applies the queue in order and keeps, in its own transaction, the last number it
// applied (meta.seq). Whatever the index has not applied is still in the queue after a crash of
// either side, and the register prunes only what the index has applied. Derived data: an index
// file that is lost or belongs to another database is started again from the customers.
//
// The register's connection never attaches the index: a write transaction there would take the
// index's write lock too, and wait for the worker's. Searches ask the index for row ids on a
// connection of its own, then read the customers (db/customers.ts).
import { randomUUID } from 'node:crypto'
import Database from 'better-sqlite3'
import type { Customer } from '../../../shared/records.ts'
import { customerSearchTerms } from '../../../shared/text/search-terms.ts'
import { prepared, type ReadableDB, type WritableDB } from './handle.ts'

/** What happened to a customer row: added (was not indexed), changed, removed; or all removed. */
export const SearchOp = { added: 0, changed: 1, removed: 2, reset: 3 } as const
export type SearchOp = (typeof SearchOp)[keyof typeof SearchOp]

/**
 * One queued change: a customer's search terms, or, where the queue has none (an index built
 * again from the cache), their record as it was when the queue was read (null: no longer cached).
 */
export type SearchWork = { seq: number; rowid: number | null; op: SearchOp; terms: string | null; record: string | null }

/** The index file beside the register's database (`:memory:` stays in memory). */
export function searchFileFor(file: string): string {
  if (file === ':memory:' || file === '') return ':memory:'
  return file.replace(/\.db$/, '') + '-search.db'
}

/** Opens the index (creating its tables), with the pragmas both of its writers use. */
export function openSearchFile(file: string): WritableDB {
  const search = new Database(file) as WritableDB
  try {
    if (file !== ':memory:') {
      search.pragma('journal_mode = WAL')
      // The register prunes its queue up to what the index says it applied: that must survive a
      // power cut as the queue does (db/open.ts).
      search.pragma('synchronous = FULL')
      search.pragma('busy_timeout = 5000')
    }
    // Building the index reads back little of it, and its final merge streams the segments:
    // SQLite's default 2 MB of page cache did as well as 8 or 32 MB (400k customers applied).
    search.pragma('cache_size = -2048')
    search.exec(`
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value ANY) STRICT;
      -- One column of normalised search terms (shared/text/search-terms.ts); contentless, keyed
      -- by the register's customers.rowid.
      CREATE VIRTUAL TABLE IF NOT EXISTS customers_fts USING fts5(
        terms, content='', contentless_delete=1, tokenize='unicode61', prefix='1 2 3'
      );
    `)
    return search
  } catch (error) {
    search.close()
    throw error
  }
}

function meta(search: ReadableDB, key: string): string | number | null {
  return prepared<[string], { value: string | number }>(search, 'SELECT value FROM meta WHERE key = ?').get(key)?.value ?? null
}

function setMeta(search: WritableDB, key: string, value: string | number): void {
  prepared(search, 'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value)
}

/** Which register database the index was built for (adoptSearchIndex). */
export function searchInstance(search: ReadableDB): string | null {
  const instance = meta(search, 'instance')
  return instance === null ? null : String(instance)
}

/** The last queue number the index applied. */
export function searchWatermark(search: ReadableDB): number {
  return Number(meta(search, 'seq') ?? 0)
}

/**
 * Makes sure the index belongs to this register's database: one it has not fed (new, lost, or
 * another's) is emptied and the queue filled with every cached customer. Run before the worker
 * starts, as nothing else writes the index meanwhile; the index first, so a crash in between
 * finds them apart again.
 */
export function adoptSearchIndex(db: WritableDB, search: WritableDB): void {
  const known = prepared<[], { instance: string }>(db, 'SELECT instance FROM search_state WHERE id = 1').get()?.instance
  if (known !== undefined && searchInstance(search) === known) return
  const instance = randomUUID()
  search.transaction(() => {
    prepared(search, "INSERT INTO customers_fts (customers_fts) VALUES ('delete-all')").run()
    setMeta(search, 'seq', 0)
    setMeta(search, 'instance', instance)
  }).immediate()
  db.transaction(() => {
    prepared(db, 'DELETE FROM search_queue').run()
    prepared(db, 'INSERT INTO search_queue (customer_rowid, op) SELECT rowid, ? FROM customers ORDER BY rowid').run(SearchOp.added)
    prepared(db, 'INSERT INTO search_state (id, instance) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET instance = excluded.instance').run(instance)
  }).immediate()
}

/** Queues a change to one customer row (terms: what to index now), in the transaction that made it. */
export function enqueueSearch(db: WritableDB, rowid: number, op: SearchOp, terms: string | null): void {
  prepared(db, 'INSERT INTO search_queue (customer_rowid, op, terms) VALUES (?, ?, ?)').run(rowid, op, terms)
}

/** Queues the removal of customers about to be deleted by `where` (a condition on `customers`). */
export function enqueueSearchRemovals(db: WritableDB, where: string, ...params: unknown[]): void {
  prepared(db, `INSERT INTO search_queue (customer_rowid, op) SELECT rowid, ${SearchOp.removed} FROM customers WHERE ${where}`).run(...params)
}

/** The cache is emptied: what is queued no longer matters, and the index empties too. */
export function enqueueSearchReset(db: WritableDB): void {
  prepared(db, 'DELETE FROM search_queue').run()
  prepared(db, 'INSERT INTO search_queue (customer_rowid, op) VALUES (NULL, ?)').run(SearchOp.reset)
}

/** Up to `limit` queued changes after `seq`, in order. */
export function searchWorkAfter(db: ReadableDB, seq: number, limit: number): SearchWork[] {
  return prepared<[number, number], SearchWork>(
    db,
    `SELECT q.seq, q.customer_rowid AS rowid, q.op, q.terms,
            CASE WHEN q.terms IS NULL AND q.op IN (${SearchOp.added}, ${SearchOp.changed})
                 THEN (SELECT c.record FROM customers AS c WHERE c.rowid = q.customer_rowid) END AS record
       FROM search_queue AS q
      WHERE q.seq > ? ORDER BY q.seq LIMIT ?`,
  ).all(seq, limit)
}

/** The last queue number, 0 when nothing was ever queued. */
export function lastQueuedSearch(db: ReadableDB): number {
  return prepared<[], { seq: number | null }>(db, 'SELECT max(seq) AS seq FROM search_queue').get()?.seq ?? 0
}

/** Drops from the queue what the index has applied. */
export function pruneSearchQueue(db: WritableDB, watermark: number): void {
  prepared(db, 'DELETE FROM search_queue WHERE seq <= ?').run(watermark)
}

/**
 * Applies queued changes to the index and records the last one; run in one transaction of the
 * index. Changes it applied before (another process got there first, or a replay) are passed
 * over. A row's earlier entry is removed first unless the row was added since the index last saw
 * it.
 */
export function applySearchWork(search: WritableDB, work: readonly SearchWork[]): void {
  let watermark = searchWatermark(search)
  const insert = prepared<[number, string]>(search, 'INSERT INTO customers_fts (rowid, terms) VALUES (?, ?)')
  const remove = prepared<[number]>(search, 'DELETE FROM customers_fts WHERE rowid = ?')
  for (const item of work) {
    if (item.seq <= watermark) continue
    if (item.op === SearchOp.reset) prepared(search, "INSERT INTO customers_fts (customers_fts) VALUES ('delete-all')").run()
    else if (item.rowid !== null) {
      if (item.op !== SearchOp.added) remove.run(item.rowid)
      // Without terms or a record: a row gone since (its removal is queued after this).
      const terms = item.op === SearchOp.removed ? null : (item.terms ?? (item.record === null ? null : customerSearchTerms(JSON.parse(item.record) as Customer)))
      if (terms !== null) insert.run(item.rowid, terms)
    }
    watermark = item.seq
  }
  setMeta(search, 'seq', watermark)
}

/**
 * FTS5 merges its segments as rows are added. Through a first sync of a million customers that
 * rewrote the index over and over: 9 GB written for 1.8 GB merging once at the end (measured at
 * 1M). Paused for a bulk load (merges that would leave too many segments on one level still run);
 * at its end the index is merged into one segment and merges as it goes again (FTS5's default, 4).
 */
export function setSearchBulk(search: WritableDB, bulk: boolean): void {
  if (bulk) prepared(search, "INSERT INTO customers_fts (customers_fts, rank) VALUES ('automerge', 0)").run()
  else {
    prepared(search, "INSERT INTO customers_fts (customers_fts) VALUES ('optimize')").run()
    prepared(search, "INSERT INTO customers_fts (customers_fts, rank) VALUES ('automerge', 4)").run()
  }
}
