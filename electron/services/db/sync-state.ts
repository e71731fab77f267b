// Where the feed stands: the cursor, which source the cache was built from, and when the last
// round succeeded. One row.
import { prepared, type ReadableDB, type WritableDB } from './handle.ts'
import { enqueueSearchRemovals, enqueueSearchReset } from './search-index.ts'
import { searchIndexer } from './search-indexer.ts'

export type SyncStateRow = {
  connectorKey: string
  cursor: string | null
  generation: number
  fullSyncDone: boolean
  lastSuccessAt: string | null
  skippedChanges: number
  resyncing: boolean
  /** A first sync is staging its events (db/staged-events.ts). */
  staging: boolean
}

type Row = {
  connector_key: string
  cursor: string | null
  generation: number
  full_sync_done: number
  last_success_at: string | null
  skipped_changes: number
  resyncing: number
  staging: number
}

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
    resyncing: row.resyncing === 1,
    staging: row.staging === 1,
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

export function setStaging(db: WritableDB, staging: boolean): void {
  prepared(db, 'UPDATE sync_state SET staging = ? WHERE id = 1').run(staging ? 1 : 0)
}

/** After 410: read the whole feed again, marking what arrives with a new generation. */
export function beginResync(db: WritableDB): void {
  prepared(db, 'UPDATE sync_state SET cursor = NULL, generation = generation + 1, resyncing = 1 WHERE id = 1').run()
}

/**
 * The resync has read the whole feed: drop the cached records it did not deliver again. Local
 * rows (sales, outbox, settings) are never touched, nor events of local sales (generation 0).
 */
export function finishResync(db: WritableDB, generation: number): Record<string, number> {
  const dropped: Record<string, number> = {}
  enqueueSearchRemovals(db, 'sync_gen < ?', generation)
  searchIndexer(db).changed()
  for (const table of ['customers', 'stores', 'products', 'inventory', 'coupons'] as const) {
    dropped[table] = prepared(db, `DELETE FROM ${table} WHERE sync_gen < ?`).run(generation).changes
  }
  prepared(db, 'DELETE FROM product_barcodes WHERE sku NOT IN (SELECT sku FROM products)').run()
  dropped['events'] = prepared(db, 'DELETE FROM events WHERE sync_gen < ? AND sync_gen <> 0').run(generation).changes
  prepared(db, 'UPDATE sync_state SET resyncing = 0 WHERE id = 1').run()
  return dropped
}

/**
 * The cache tables, rebuilt from the feed, and the data derived from them (suggestions); local
 * tables (settings, sales, suggestion dismissals) are not here.
 */
export const cacheTables = [
  'customers',
  'stores',
  'products',
  'product_barcodes',
  'inventory',
  'coupons',
  'events',
  'events_staged_batches',
  'events_staged_deletes',
  'items',
  'item_buyers',
  'item_pairs',
  'item_pairs_new',
  'item_sales',
  'item_trend',
] as const

/** Empties the cache and starts the feed over for a new source (another connector, endpoint or store). */
export function resetCache(db: WritableDB, connectorKey: string): void {
  for (const table of cacheTables) db.exec(`DELETE FROM ${table}`)
  enqueueSearchReset(db)
  searchIndexer(db).changed()
  db.exec('DELETE FROM sync_state')
  initSyncState(db, connectorKey)
}
