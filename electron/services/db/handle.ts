// Database handles. `ReadableDB` / `WritableDB` say at the call site which functions write;
// statements are prepared once per connection and reused (better-sqlite3 compiles on prepare).
import type Database from 'better-sqlite3'

export type ReadableDB = Database.Database & { readonly __readable: unique symbol }
export type WritableDB = ReadableDB & { readonly __writable: unique symbol }

const statements = new WeakMap<Database.Database, Map<string, Database.Statement>>()

/** The prepared statement for `sql` on this connection, compiled on first use. */
export function prepared<P extends unknown[] = unknown[], R = unknown>(db: ReadableDB, sql: string): Database.Statement<P, R> {
  let cache = statements.get(db)
  if (!cache) {
    cache = new Map()
    statements.set(db, cache)
  }
  let statement = cache.get(sql)
  if (!statement) {
    statement = db.prepare(sql)
    cache.set(sql, statement)
  }
  return statement as unknown as Database.Statement<P, R>
}

/** Drops the table's own indexes (not those of its constraints); answers their names and statements, to build them again. */
export function dropIndexes(db: WritableDB, table: string): { name: string; sql: string }[] {
  const indexes = prepared<[string], { name: string; sql: string }>(
    db,
    "SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL ORDER BY name",
  ).all(table)
  for (const { name } of indexes) db.exec(`DROP INDEX "${name}"`)
  return indexes
}

/** Runs `fn` in one IMMEDIATE transaction (all or nothing). */
export function inTransaction<T>(db: WritableDB, fn: () => T): T {
  return db.transaction(fn).immediate()
}

/**
 * Runs `fn` with SQLite's page cache at `kib` KiB, and puts the size back after (also when `fn`
 * throws). Lowering it drops the pages beyond the new size.
 */
export function withCacheSize<T>(db: ReadableDB, kib: number, fn: () => T): T {
  const size = db.pragma('cache_size', { simple: true }) as number
  db.pragma(`cache_size = ${-Math.abs(kib)}`)
  try {
    return fn()
  } finally {
    db.pragma(`cache_size = ${size}`)
  }
}

/**
 * Runs `fn` (a bulk load of `table`) without the table's secondary indexes, then builds them again
 * from their own definitions: one sort each, rather than a page of each index dirtied per row.
 * Run inside a transaction, so no reader ever meets the table without them.
 */
export function withoutIndexes<T>(db: WritableDB, table: string, fn: () => T): T {
  const indexes = dropIndexes(db, table)
  const result = fn()
  for (const { sql } of indexes) db.exec(sql)
  return result
}
