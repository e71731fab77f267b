// Where the feed stands: the cursor, which source the cache was built from, and when the last
// round succeeded. One row.
import { prepared, type ReadableDB, type WritableDB } from './handle.ts'

export type SyncStateRow = {
  connectorKey: string
  cursor: string | null
  generation: number
  fullSyncDone: boolean
  lastSuccessAt: string | null
  skippedChanges: number
}

type Row = { connector_key: string; cursor: string | null; generation: number; full_sync_done: number; last_success_at: string | null; skipped_changes: number }

export function readSyncState(db: ReadableDB): SyncStateRow | null {
  const row = prepared<[], Row>(db, 'SELECT * FROM sync_state WHERE id = 1').get()
  if (!row) return null
  return {
    connectorKey: row.connector_key,
    cursor: row.cursor,
    generation: row.generation,
    fullSyncDone: row.full_sync_done === 1,
    lastSuccessAt: row.last_success_at,
    skippedChanges: row.skipped_changes,
  }
}

export function initSyncState(db: WritableDB, connectorKey: string): void {
  prepared(db, 'INSERT INTO sync_state (id, connector_key) VALUES (1, ?)').run(connectorKey)
}

export function saveCursor(db: WritableDB, cursor: string, skipped: number): void {
  prepared(db, 'UPDATE sync_state SET cursor = ?, skipped_changes = skipped_changes + ? WHERE id = 1').run(cursor, skipped)
}

export function markCaughtUp(db: WritableDB, at: string): void {
  prepared(db, 'UPDATE sync_state SET full_sync_done = 1, last_success_at = ? WHERE id = 1').run(at)
}

/** The cache tables, rebuilt from the feed; local tables (settings, later sales) are not here. */
export const cacheTables = ['customers', 'customers_fts', 'stores', 'products', 'product_barcodes', 'inventory', 'coupons', 'events'] as const

/** Empties the cache and starts the feed over for a new source (another connector, endpoint or store). */
export function resetCache(db: WritableDB, connectorKey: string): void {
  for (const table of cacheTables) db.exec(`DELETE FROM ${table}`)
  db.exec('DELETE FROM sync_state')
  initSyncState(db, connectorKey)
}
