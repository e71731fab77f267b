// A first sync's staged events (db/staged-events.ts) read out of their batches into rows while
// the feed still comes: on a worker thread of its own (db/staged-rows-worker.ts), into a file of
// its own beside the database (`musubi-staging.db`). In the events phase the two cores are about
// three quarters busy; at the finish, reading ~10M events out of their JSONB batches takes the
// main thread ~10 s alone, and copying rows already read takes SQLite 1.7 s (whole records
// transferred, measured for 9.5M). Whatever the worker has not read by the finish is read there
// from its batch, as before.
//
// Derived data, never the only copy: the file names the staging it belongs to (a setting written
// when staging begins) and the last batch it holds, in the same transaction as its rows. A file
// of another staging is emptied; a lost one is started again.
import { randomUUID } from 'node:crypto'
import { existsSync, rmSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { ReadableDB, WritableDB } from './handle.ts'
import { readSetting, writeSetting } from './settings.ts'

const STAGING_ID = 'staging_id'

/**
 * The rows file's tables: `rows` made from the statement that made `events` (its sql in the
 * schema), so the two have the same columns, types, NOT NULLs and STRICT, and
 * `INSERT INTO events SELECT * FROM rows` copies whole records.
 */
export function stagedRowsSchema(eventsSql: string): string {
  const rows = eventsSql.replace(/^CREATE TABLE\s+(?:"events"|events)\s*\(/i, 'CREATE TABLE rows (')
  if (rows === eventsSql) throw new Error(`not the statement of events: ${eventsSql.slice(0, 40)}`)
  return `${rows};
    CREATE TABLE meta (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      staging TEXT NOT NULL,
      upto INTEGER NOT NULL
    ) STRICT;`
}

/**
 * The columns of `events`, in order, and the eleven values of a staged row `r` (event-rows.ts) in
 * that order. Each value by a path ('$[0]') rather than an index (0), which SQLite makes into that
 * path first, 110M times at 10M events: moving 1M staged events took 3.2-4.1 s against 4.5-5.6 s.
 */
export const EVENT_COLUMNS = 'id, member_id, type, channel, sku, qty, price_yen, order_id, store_id, coupon_code, at, sync_gen'
export const STAGED_VALUES = Array.from({ length: 11 }, (_, i) => `r.value ->> '$[${i}]'`).join(', ')

/** The rows file beside the database; none for one in memory. */
export function stagingFileFor(dbFile: string): string | null {
  if (dbFile === '' || dbFile === ':memory:') return null
  const base = basename(dbFile).replace(/\.db$/, '')
  return join(dirname(dbFile), `${base}-staging.db`)
}

/** A new staging begins (in its transaction): rows read for any other are not used. */
export function newStagingId(db: WritableDB): void {
  writeSetting(db, STAGING_ID, randomUUID())
}

export function stagingId(db: ReadableDB): string | null {
  return readSetting<string>(db, STAGING_ID)
}

export function stagedRowsWorkerPathFor(moduleUrl: string): string {
  return fileURLToPath(new URL(moduleUrl.endsWith('.ts') ? './staged-rows-worker.ts' : './staged-rows-worker.mjs', moduleUrl))
}

export type StagedRowsRequest = { type: 'stop' }
export type StagedRowsReply = { type: 'stopped'; upto: number } | { type: 'failed'; reason: string }

/**
 * Runs the worker while a first sync stages its events. `start` is cheap to call after every
 * page; `stop` lets the worker end its current step and waits for it.
 */
export class StagedRowsReader {
  private worker: Worker | null = null
  private stopped: Promise<void> | null = null
  /** Why the worker stopped on its own (the finish then reads every batch itself). */
  failure: string | null = null

  private readonly dbFile: string
  readonly file: string

  constructor(dbFile: string, file: string) {
    this.dbFile = dbFile
    this.file = file
  }

  /** Starts the worker unless it runs (or failed: the finish then reads the batches itself). */
  start(staging: string): void {
    if (this.worker || this.failure !== null) return
    // Its heap holds a few statements; the rows go from SQLite to SQLite without crossing into JS.
    const worker = new Worker(stagedRowsWorkerPathFor(import.meta.url), {
      workerData: { registerFile: this.dbFile, file: this.file, staging },
      resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 2 },
    })
    worker.unref()
    this.worker = worker
    this.stopped = new Promise((resolve) => {
      worker.on('message', (reply: StagedRowsReply) => {
        if (reply.type === 'failed') this.failure = reply.reason
      })
      worker.on('error', (error) => {
        this.failure = error.message
      })
      worker.on('exit', () => {
        if (this.worker === worker) this.worker = null
        resolve()
      })
    })
  }

  async stop(): Promise<void> {
    const { worker, stopped } = this
    if (!worker || !stopped) return
    worker.postMessage({ type: 'stop' } satisfies StagedRowsRequest)
    // A worker stuck in one step (it should take a fraction of a second) is not waited for.
    const timer = setTimeout(() => void worker.terminate(), 10_000)
    await stopped
    clearTimeout(timer)
  }

  closeNow(): void {
    void this.worker?.terminate()
    this.worker = null
  }

  /**
   * Removes the file (the staging it served has ended, or it is not wanted). Best effort: a file
   * left behind (another process holding it open, on Windows) serves no other staging.
   */
  remove(): void {
    for (const suffix of ['', '-wal', '-shm', '-journal']) {
      try {
        rmSync(this.file + suffix, { force: true })
      } catch {
        // Left for the next staging to empty.
      }
    }
  }

  exists(): boolean {
    return existsSync(this.file)
  }
}

const readers = new WeakMap<ReadableDB, StagedRowsReader | null>()

/** The reader of this database's staged events; null for a database in memory. */
export function stagedRowsReader(db: ReadableDB): StagedRowsReader | null {
  let reader = readers.get(db)
  if (reader === undefined) {
    const file = stagingFileFor(db.name)
    reader = file ? new StagedRowsReader(db.name, file) : null
    readers.set(db, reader)
  }
  return reader
}

/**
 * Attaches the rows file as `staged_rows` when it holds rows of the current staging; answers the
 * last batch they cover (0: none, nothing attached). Call it outside a transaction (SQLite does
 * not attach inside one), once the worker has stopped.
 */
export function attachStagedRows(db: WritableDB): number {
  const reader = stagedRowsReader(db)
  const staging = stagingId(db)
  if (!reader || !staging || !reader.exists()) return 0
  db.prepare('ATTACH ? AS staged_rows').run(reader.file)
  try {
    const meta = db.prepare('SELECT staging, upto FROM staged_rows.meta WHERE id = 1').get() as { staging: string; upto: number } | undefined
    if (meta && meta.staging === staging && meta.upto > 0) return meta.upto
  } catch {
    // Not a rows file (a table missing, a damaged file): the batches are read instead.
  }
  db.exec('DETACH staged_rows')
  return 0
}

export function detachStagedRows(db: WritableDB): void {
  const attached = (db.prepare('PRAGMA database_list').all() as { name: string }[]).some((d) => d.name === 'staged_rows')
  if (attached) db.exec('DETACH staged_rows')
}
