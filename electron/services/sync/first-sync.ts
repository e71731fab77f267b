// A first sync loads the whole feed into an empty cache, and is built for that load rather than
// for updates: its events are staged and sorted into place once (db/staged-events.ts), the
// customer search index merges once (on its worker thread), and bought-together is counted once from the stored
// purchases instead of page by page. Measured at 1M customers / 10M events: see README, "Speed".
import { inTransaction, type WritableDB } from '../db/handle.ts'
import { mergeStagedEvents } from '../db/staged-events.ts'
import { searchIndexer } from '../db/search-indexer.ts'
import { withRollbackJournal } from '../db/open.ts'
import { attachStagedRows, detachStagedRows, newStagingId, stagedRowsReader, stagingId } from '../db/staged-rows.ts'
import { setStaging } from '../db/sync-state.ts'
import { rebuildSuggestData } from '../suggest/cooccurrence.ts'

/** From the first page of a first sync on, its events are staged (kept across restarts). */
export function beginStaging(db: WritableDB): void {
  inTransaction(db, () => {
    setStaging(db, true)
    newStagingId(db)
  })
  searchIndexer(db).bulk(true)
}

/**
 * Events were staged: from now on a worker reads the staged batches into rows as they come
 * (db/staged-rows.ts), so the finish copies them rather than reading each out of its batch.
 * Not while the search index's worker runs (it retires once the customers before the events are
 * indexed): the two threads' memory together (~25 MB and ~40 MB) on top of the main thread's,
 * which is largest at the end of the customers, took a full sync to 454 MB against 405 MB. A feed
 * that keeps bringing customers between its events may then have its events read at the finish.
 */
export function readStagedRowsMeanwhile(db: WritableDB): void {
  if (searchIndexer(db).working) return
  const staging = stagingId(db)
  if (staging) stagedRowsReader(db)?.start(staging)
}

const STAGING_CACHE_SIZE = -16384

/**
 * While a first sync stages, pages mostly append (events to their staging table, customers in
 * member order), and 16 MB of page cache instead of the 64 MB a register keeps otherwise
 * (db/open.ts) keep the peak memory of the sync down: measured at 1M/10M, 421 MB twice against
 * 486-503 MB. Keeping 64 MB for the customers and 16 MB after them did not: 514 MB (the memory
 * the cache had taken stayed with the process). The sync service puts the size back when the
 * round ends.
 */
export function useStagingCache(db: WritableDB): void {
  db.pragma(`cache_size = ${STAGING_CACHE_SIZE}`)
}

/**
 * The feed is caught up: the staged events go into place, then bought-together is counted from
 * them; `caughtUp` runs in the last transaction, which also ends staging. Each step is a
 * transaction of its own (the register answers in between, and `beforeStep` can tell the window),
 * and each can run again after a crash. The first writes gigabytes: with a rollback journal when
 * the register is alone on the database (db/open.ts, withRollbackJournal).
 */
export async function finishStaging(db: WritableDB, caughtUp: () => void, beforeStep: () => void): Promise<void> {
  // The steps sort: the first the index entries of ~10M events. Its sorter may use a second
  // thread (the feed has ended: the cores are free), and the sorter's memory follows the page
  // cache, which goes down to 16 MB meanwhile (measured at 10M events: as fast as with 64 MB,
  // 100 MB less at the peak). The other steps sort a few million rows with one thread: with two,
  // building bought-together's index took 32 MB more at the sync's peak for no time saved
  // (measured on a synced 1M/10M cache).
  // The feed has ended: the search index merges on its worker (db/search-indexer.ts) while the
  // events are moved here, which is SQLite's work alone. While bought-together was counted instead,
  // one run in three grew the main thread's heap to 285 MB (575 MB RSS at the end of the sync).
  // The rows read meanwhile: the reader stops (its connection would keep the journal from
  // switching), and what it read is attached for the move. It stops before the search index's
  // worker starts again, so that the two threads do not add up at the finish's peak.
  const reader = stagedRowsReader(db)
  await reader?.stop()
  searchIndexer(db).bulk(false)
  const cacheSize = db.pragma('cache_size', { simple: true }) as number
  db.pragma(`cache_size = ${STAGING_CACHE_SIZE}`)
  try {
    withRollbackJournal(db, () => {
      beforeStep()
      db.pragma('threads = 2')
      try {
        moveStagedEvents(db)
      } finally {
        db.pragma('threads = 0')
      }
    })
    reader?.remove()
    await new Promise((resolve) => setImmediate(resolve))
    beforeStep()
    inTransaction(db, () => rebuildSuggestData(db))
    await new Promise((resolve) => setImmediate(resolve))
    inTransaction(db, () => {
      setStaging(db, false)
      caughtUp()
    })
  } finally {
    db.pragma(`cache_size = ${cacheSize}`)
  }
}

/**
 * The move, with the rows read meanwhile where there are any. Should it fail with them (a rows
 * file damaged, or written by another version), the file goes and the move runs again from the
 * batches alone: derived data must not stop a first sync.
 */
function moveStagedEvents(db: WritableDB): void {
  const readUpto = attachStagedRows(db)
  try {
    inTransaction(db, () => mergeStagedEvents(db, readUpto))
    return
  } catch (error) {
    if (readUpto === 0) throw error
  } finally {
    detachStagedRows(db)
  }
  stagedRowsReader(db)?.remove()
  inTransaction(db, () => mergeStagedEvents(db))
}
