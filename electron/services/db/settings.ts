// Per-register settings (a key-value table of JSON values).
import { prepared, type ReadableDB, type WritableDB } from './handle.ts'

export function readSetting<T>(db: ReadableDB, key: string): T | null {
  const row = prepared<[string], { value: string }>(db, 'SELECT value FROM settings WHERE key = ?').get(key)
  return row ? (JSON.parse(row.value) as T) : null
}

export function writeSetting(db: WritableDB, key: string, value: unknown): void {
  prepared(db, 'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, JSON.stringify(value))
}
