// The register's side of the customer search index (db/search-index.ts): the index's connection on
// this thread, which searches read, and what feeds the queued changes into the index: a worker
// thread (search-worker.ts) in a running register, this thread itself for an in-memory database
// or when the worker fails. Either way the same function applies the same queue.
import { rmSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import Database from 'better-sqlite3'
import type { ReadableDB, WritableDB } from './handle.ts'
import {
  adoptSearchIndex,
  applySearchWork,
  lastQueuedSearch,
  openSearchFile,
  pruneSearchQueue,
  searchWatermark,
  searchWorkAfter,
  setSearchBulk,
  type SearchWork,
} from './search-index.ts'

export type IndexerRequest = { id: number; type: 'work'; work: SearchWork[] } | { id: number; type: 'bulk'; on: boolean } | { type: 'close' }
export type IndexerReply = { id: number; ok: true; seq: number } | { id: number; ok: false; reason: string }

/**
 * Changes per message: one transaction of the index each. Applying 200k customers on their own
 * took 20.2 µs each in transactions of 2,000, 18.4-18.8 µs in transactions of 5,000 (fewer
 * commits, each waiting for its fsync).
 */
const BATCH = 5000
/**
 * Messages on their way at most (~1 MB of terms each): whatever more the worker is behind waits in
 * the queue table rather than in memory.
 */
const WINDOW = 3
/** The queue is pruned once the index is this far past the last prune, and when it is idle. */
const PRUNE_EVERY = 20_000
/** After a failure to feed the index, the next attempt. */
const RETRY_AFTER_MS = 5000

// From source (Node's type stripping: tests, the CLI) the worker is the .ts beside this file; in
// the built app this module is bundled into out/main/index.js and the worker is built beside it as
// search-worker.mjs (electron.vite.config.ts), inside app.asar like index.js (Electron loads
// worker threads from app.asar since 17.3), where it finds better-sqlite3 as index.js does.
export function searchWorkerPathFor(moduleUrl: string): string {
  return fileURLToPath(new URL(moduleUrl.endsWith('.ts') ? './search-worker.ts' : './search-worker.mjs', moduleUrl))
}

type Bulk = { on: boolean; after: number }

export class SearchIndexer {
  /** The index's connection on this thread: searches read it. */
  readonly search: WritableDB
  private readonly db: WritableDB
  private readonly file: string
  private worker: Worker | null = null
  private wantWorker = false
  /** The last queue number given to the index (posted to the worker, or applied here). */
  private posted: number
  /** The last queue number the index has committed, as far as this thread knows. */
  private applied: number
  private pruned: number
  /** Messages the worker has not answered yet; a bulk step's, to repeat it should the worker fail. */
  private readonly inFlight = new Map<number, Bulk | null>()
  private bulks: Bulk[] = []
  private nextId = 1
  private scheduled = false
  private closed = false
  private waiters: (() => void)[] = []
  /** Why the worker stopped, when it did: the index is then fed from this thread. */
  workerFailure: string | null = null
  /** Why the last attempt to feed the index failed (null: it did not); tried again later. */
  stalled: string | null = null
  /**
   * A worker with nothing to do for this long stops, and another starts with the next change: at
   * a first sync it is done with the customers long before the events are, and its thread and
   * heap (~30 MB) are not kept through the sync's peak.
   */
  retireAfterMs = 2000
  private retireTimer: ReturnType<typeof setTimeout> | null = null
  private retryTimer: ReturnType<typeof setTimeout> | null = null

  constructor(db: WritableDB, file: string) {
    this.db = db
    this.file = file
    this.search = openIndexFor(db, file)
    this.posted = this.applied = this.pruned = searchWatermark(this.search)
  }

  /**
   * From now on a worker thread writes the index (a database in a file only), started when there
   * is something to write: a register that only reads, as most CLI commands, starts none.
   */
  useWorker(): void {
    if (this.file === ':memory:') return
    this.wantWorker = true
    this.changed()
  }

  private spawn(): void {
    // Its heap holds one message at a time (5,000 customers' terms, ~1 MB); left to its defaults,
    // V8 let it grow to 140 MB at a first sync of 1M customers (58 MB of it in use), which the
    // sync's peak memory could not afford.
    const worker = new Worker(searchWorkerPathFor(import.meta.url), {
      workerData: { file: this.file },
      resourceLimits: { maxOldGenerationSizeMb: 24, maxYoungGenerationSizeMb: 4 },
    })
    worker.unref()
    worker.on('message', (reply: IndexerReply) => this.answered(worker, reply))
    worker.on('error', (error) => this.lost(worker, error.message))
    worker.on('exit', (code) => this.lost(worker, `it stopped (${code})`))
    this.worker = worker
  }

  /** Changes were queued: they go to the index once the transaction that queued them has ended. */
  changed(): void {
    if (this.scheduled || this.closed) return
    this.scheduled = true
    setImmediate(() => {
      this.scheduled = false
      this.flush()
    })
  }

  /** Before a search: fed from this thread, the index first takes in what is queued. */
  beforeSearch(): void {
    if (!this.worker) this.flush()
  }

  /**
   * A bulk load begins (merges paused) or ends (the index merged into one segment), after the
   * changes queued so far.
   */
  bulk(on: boolean): void {
    if (this.closed) return
    this.bulks.push({ on, after: lastQueuedSearch(this.db) })
    this.flush()
  }

  /** Resolves once everything queued so far is in the index (or the index cannot take it in now). */
  async idle(): Promise<void> {
    for (;;) {
      if (this.closed) return
      this.flush()
      if (this.stalled !== null) return
      if (this.inFlight.size === 0 && this.bulks.length === 0 && this.posted >= lastQueuedSearch(this.db)) return this.prune()
      await new Promise<void>((resolve) => this.waiters.push(resolve))
    }
  }

  /**
   * Resolves once everything queued so far is in the index, or after `ms`: a search waits the few
   * milliseconds a customer just stored takes to become searchable. Behind by more than one
   * message (a first sync), it does not wait at all.
   */
  async settled(ms: number): Promise<void> {
    if (this.closed || lastQueuedSearch(this.db) - this.applied > BATCH) return
    let timer: ReturnType<typeof setTimeout> | undefined
    await Promise.race([this.idle(), new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))])
    clearTimeout(timer)
  }

  /** A worker thread is writing the index (or idling before it retires). */
  get working(): boolean {
    return this.worker !== null
  }

  /** Stops the worker (after the message it is applying) and closes the index. */
  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    this.stopRetiring()
    const worker = this.worker
    this.worker = null
    if (worker) {
      const exited = new Promise((resolve) => worker.once('exit', resolve))
      worker.postMessage({ type: 'close' } satisfies IndexerRequest)
      const timer = setTimeout(() => void worker.terminate(), 5000)
      await exited
      clearTimeout(timer)
    }
    this.search.close()
    this.wake()
  }

  /** For a synchronous close of the register's database: whatever was not applied stays queued. */
  closeNow(): void {
    if (this.closed) return
    this.closed = true
    this.stopRetiring()
    void this.worker?.terminate()
    this.worker = null
    this.search.close()
    this.wake()
  }

  private flush(): void {
    if (this.closed) return
    // Only what is committed: a transaction still open could yet roll back.
    if (this.db.inTransaction) return this.changed()
    try {
      if (this.wantWorker && !this.worker && this.workerFailure === null && (this.bulks.length > 0 || lastQueuedSearch(this.db) > this.posted)) this.spawn()
      if (this.worker) this.post(this.worker)
      else this.applyHere()
      if (this.applied - this.pruned >= PRUNE_EVERY) this.prune()
      this.stalled = null
    } catch (error) {
      // A full disk, say: searches find what the index has, the rest stays queued and is tried
      // again; the register goes on (and a round does not wait for it, see idle).
      this.stalled = (error as Error).message
      console.warn(`musubi: the search index could not take in changes (${this.stalled}); trying again in ${RETRY_AFTER_MS / 1000} s`)
      // One retry pending at a time, however many searches meet the failure meanwhile.
      this.retryTimer ??= setTimeout(() => {
        this.retryTimer = null
        this.changed()
      }, RETRY_AFTER_MS).unref()
      this.wake()
    }
  }

  private applyHere(): void {
    for (;;) {
      const bulk = this.bulks[0]
      if (bulk && this.posted >= bulk.after) {
        this.search.transaction(() => setSearchBulk(this.search, bulk.on)).immediate()
        this.bulks.shift()
        continue
      }
      const work = searchWorkAfter(this.db, this.posted, bulk ? Math.min(BATCH, bulk.after - this.posted) : BATCH)
      if (work.length === 0) return
      this.search.transaction(() => applySearchWork(this.search, work)).immediate()
      this.posted = this.applied = work.at(-1)!.seq
    }
  }

  private post(worker: Worker): void {
    while (this.inFlight.size < WINDOW) {
      const bulk = this.bulks[0]
      const id = this.nextId++
      if (bulk && this.posted >= bulk.after) {
        this.bulks.shift()
        this.stopRetiring()
        worker.postMessage({ id, type: 'bulk', on: bulk.on } satisfies IndexerRequest)
        this.inFlight.set(id, bulk)
      } else {
        const work = searchWorkAfter(this.db, this.posted, bulk ? Math.min(BATCH, bulk.after - this.posted) : BATCH)
        if (work.length === 0) return
        this.stopRetiring()
        worker.postMessage({ id, type: 'work', work } satisfies IndexerRequest)
        this.posted = work.at(-1)!.seq
        this.inFlight.set(id, null)
      }
    }
  }

  /** What the index has applied leaves the queue (what it has not is kept for a replay). */
  private prune(): void {
    if (this.applied <= this.pruned || this.db.inTransaction) return
    const applied = this.applied
    this.db.transaction(() => pruneSearchQueue(this.db, applied)).immediate()
    this.pruned = applied
  }

  private answered(worker: Worker, reply: IndexerReply): void {
    if (worker !== this.worker) return
    if (!reply.ok) return this.lost(worker, reply.reason)
    this.inFlight.delete(reply.id)
    this.applied = Math.max(this.applied, reply.seq)
    this.flush()
    if (this.inFlight.size === 0) this.retireLater()
    this.wake()
  }

  private retireLater(): void {
    this.stopRetiring()
    this.retireTimer = setTimeout(() => {
      this.retireTimer = null
      const worker = this.worker
      if (!worker || this.inFlight.size > 0) return
      this.worker = null
      worker.postMessage({ type: 'close' } satisfies IndexerRequest)
    }, this.retireAfterMs)
    this.retireTimer.unref()
  }

  private stopRetiring(): void {
    if (this.retireTimer) clearTimeout(this.retireTimer)
    this.retireTimer = null
  }

  /** The worker failed: this thread feeds the index from what the index has committed. */
  private lost(worker: Worker, reason: string): void {
    if (worker !== this.worker) return
    this.worker = null
    void worker.terminate()
    this.workerFailure = reason
    console.warn(`musubi: the search index worker failed (${reason}); indexing on the main thread`)
    // Bulk steps handed over are taken again (pausing merges twice, or merging twice, is harmless).
    const handedOver = [...this.inFlight.values()].filter((bulk) => bulk !== null)
    this.bulks = [...handedOver, ...this.bulks]
    this.inFlight.clear()
    this.posted = this.applied = searchWatermark(this.search)
    this.changed()
    this.wake()
  }

  private wake(): void {
    const waiters = this.waiters
    this.waiters = []
    for (const wake of waiters) wake()
  }
}

/** The index for `db`, opened and adopted (search-index.ts). */
function openIndexFor(db: WritableDB, file: string): WritableDB {
  const adopted = (search: WritableDB): WritableDB => {
    try {
      adoptSearchIndex(db, search)
      return search
    } catch (error) {
      search.close()
      throw error
    }
  }
  try {
    return adopted(openSearchFile(file))
  } catch (error) {
    // Derived data: an index file SQLite cannot read is deleted and built again from the customers.
    if (file === ':memory:' || !(error instanceof Database.SqliteError && /^SQLITE_(CORRUPT|NOTADB)/.test(error.code))) throw error
    console.warn(`musubi: the search index ${file} could not be read (${error.code}); building it again`)
    for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true })
    return adopted(openSearchFile(file))
  }
}

const indexers = new WeakMap<ReadableDB, SearchIndexer>()

export function setSearchIndexer(db: ReadableDB, indexer: SearchIndexer): void {
  indexers.set(db, indexer)
}

/** The search index of a database opened by openDatabase (db/open.ts). */
export function searchIndexer(db: ReadableDB): SearchIndexer {
  const indexer = indexers.get(db)
  if (!indexer) throw new Error('this database has no search index: open it with openDatabase')
  return indexer
}
