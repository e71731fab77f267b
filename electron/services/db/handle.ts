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

/** Runs `fn` in one IMMEDIATE transaction (all or nothing). */
export function inTransaction<T>(db: WritableDB, fn: () => T): T {
  return db.transaction(fn).immediate()
}
