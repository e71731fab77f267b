// Opening the register's database: pragmas that keep finished sales safe, the SQLite version
// floor, and migrations in one transaction.
import Database from 'better-sqlite3'
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { AppError } from '../../../shared/errors.ts'
import type { WritableDB } from './handle.ts'
import { latestSchemaVersion, migrations } from './migrations/index.ts'
import { searchFileFor } from './search-index.ts'
import { SearchIndexer, setSearchIndexer } from './search-indexer.ts'
import { stagedRowsReader } from './staged-rows.ts'

/** 3.51.3 fixes the WAL-reset bug that can corrupt a database under concurrent checkpoints. */
export const MIN_SQLITE_VERSION = '3.51.3'

export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number)
  const pb = b.split('.').map(Number)
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0)
    if (d !== 0) return d
  }
  return 0
}

/**
 * Opens (creating if needed) the database at `file` (`:memory:` for tests) and migrates it, with
 * its customer search index beside it (db/search-indexer.ts), fed from this thread until
 * `searchIndexer(db).startWorker()`. Closing the database closes the index.
 */
export function openDatabase(file: string): WritableDB {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true })
  const db = new Database(file) as WritableDB
  try {
    const version = (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v
    if (compareVersions(version, MIN_SQLITE_VERSION) < 0) {
      throw new AppError('sqlite_too_old', `SQLite ${version} is older than ${MIN_SQLITE_VERSION}, which Musubi needs (WAL-reset fix)`)
    }
    db.pragma('journal_mode = WAL')
    // Sales and the outbox exist nowhere else: NORMAL may roll back a commit on power loss.
    db.pragma('synchronous = FULL')
    db.pragma('foreign_keys = ON')
    db.pragma('busy_timeout = 5000')
    // The feed applies in large transactions over indexes far bigger than the 2 MB default cache.
    db.pragma('cache_size = -65536')
    // Checkpoint every 64 MB of WAL rather than every 4 MB: a feed page rewrites the same index
    // pages, so larger checkpoints write each of them once instead of once per page.
    db.pragma('wal_autocheckpoint = 16384')
    // The finish of a first sync writes gigabytes in one transaction: the WAL file then shrinks
    // back to 64 MB at the next checkpoint rather than keeping that size on disk.
    db.pragma('journal_size_limit = 67108864')
    migrate(db)
    const indexer = new SearchIndexer(db, searchFileFor(file))
    setSearchIndexer(db, indexer)
    const close = db.close.bind(db)
    db.close = () => {
      indexer.closeNow()
      stagedRowsReader(db)?.closeNow()
      return close()
    }
    return db
  } catch (error) {
    db.close()
    throw error
  }
}

/**
 * Runs `fn` with a rollback journal instead of the WAL when no other connection has the database
 * open (otherwise in the WAL, as always), and goes back to the WAL after. For a transaction that
 * writes gigabytes, the move of a first sync's events: in the WAL, every page it writes is written
 * twice (the WAL, then the checkpoint), and each page it reads back is first looked up among
 * hundreds of thousands of WAL frames; a rollback journal keeps only the pages that existed
 * before, and the new ones go straight into the file. Measured at 1M/10M on copies of the same
 * cache, run side by side: the move took 63.6 s against 70.4 s in the WAL (the VM's speed drifts
 * too much for one-after-the-other runs to show 10 %). The per-page commits of a sync stay in the
 * WAL: a whole first sync with a journal was no faster in its pages (three syncs per commit
 * instead of one). SQLite refuses the switch at once (SQLITE_BUSY, without waiting out
 * busy_timeout) while another connection has the database open. A process that opens it
 * meanwhile waits for the write lock as it would in the WAL, and may turn the WAL back on, which
 * this connection then follows. Synchronous: nothing else runs on this connection while it holds
 * the journal.
 */
export function withRollbackJournal<T>(db: WritableDB, fn: () => T): T {
  if (db.pragma('journal_mode', { simple: true }) !== 'wal') return fn()
  let switched = false
  try {
    switched = db.pragma('journal_mode = TRUNCATE', { simple: true }) === 'truncate'
  } catch (error) {
    if (!(error instanceof Database.SqliteError && error.code === 'SQLITE_BUSY')) throw error
  }
  try {
    return fn()
  } finally {
    // Back to the WAL; should another process hold a lock for longer than busy_timeout, the
    // register stays with the journal until openDatabase turns the WAL on at the next start.
    if (switched) {
      try {
        db.pragma('journal_mode = WAL')
      } catch (error) {
        if (!(error instanceof Database.SqliteError && error.code === 'SQLITE_BUSY')) throw error
      }
    }
  }
}

export function migrate(db: WritableDB): void {
  const current = db.pragma('user_version', { simple: true }) as number
  if (current > latestSchemaVersion) {
    throw new AppError(
      'db_too_new',
      `the database is at schema version ${current}, newer than this Musubi knows (${latestSchemaVersion}); install the newer Musubi that wrote it`,
    )
  }
  const pending = migrations.filter((m) => m.version > current)
  if (pending.length === 0) return
  // Some rewrite a table (0130 copies every event): with a rollback journal, as a first sync's move.
  withRollbackJournal(db, () =>
    db.transaction(() => {
      for (const migration of pending) {
        migration.up(db)
        db.pragma(`user_version = ${migration.version}`)
      }
    }).immediate(),
  )
}
