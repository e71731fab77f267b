import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { latestSchemaVersion } from '../../electron/services/db/migrations/index.ts'
import { compareVersions, openDatabase, withRollbackJournal } from '../../electron/services/db/open.ts'
import { applyPage } from '../../electron/services/sync/apply.ts'
import { adoptSource } from '../../electron/services/sync/sync-service.ts'
import { countCustomers } from '../../electron/services/db/customers.ts'
import { withCacheSize } from '../../electron/services/db/handle.ts'
import { readSetting, writeSetting } from '../../electron/services/db/settings.ts'
import { customer, upsert } from '../support/fixtures.ts'

const dirs: string[] = []
function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'musubi-db-'))
  dirs.push(dir)
  return join(dir, 'musubi.db')
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

describe('withRollbackJournal', () => {
  const mode = (db: Database.Database) => db.pragma('journal_mode', { simple: true })

  it('runs with a rollback journal when the connection is alone, and goes back to the WAL, also after a throw', () => {
    const db = openDatabase(tempFile())
    expect(withRollbackJournal(db, () => mode(db))).toBe('truncate')
    expect(mode(db)).toBe('wal')
    expect(() =>
      withRollbackJournal(db, () => {
        db.exec('CREATE TABLE t (x)')
        throw new Error('step failed')
      }),
    ).toThrow('step failed')
    expect(mode(db)).toBe('wal')
    db.close()
  })

  it('stays in the WAL at once when another connection has the database open', () => {
    const file = tempFile()
    const db = openDatabase(file)
    // Were the switch to wait for the lock, it would wait a minute (and the test time out).
    db.pragma('busy_timeout = 60000')
    const other = new Database(file, { readonly: true })
    other.prepare('SELECT count(*) FROM customers').get()
    expect(withRollbackJournal(db, () => mode(db))).toBe('wal')
    other.close()
    db.close()
  })

  it('leaves a database without a WAL (in memory) as it is', () => {
    const db = openDatabase(':memory:')
    expect(withRollbackJournal(db, () => mode(db))).toBe('memory')
    db.close()
  })
})

describe('withCacheSize', () => {
  it('runs with the page cache given and puts the size back, also when the work throws', () => {
    const db = openDatabase(':memory:')
    const size = (): unknown => db.pragma('cache_size', { simple: true })
    const before = size()
    expect(withCacheSize(db, 8192, () => size())).toBe(-8192)
    expect(size()).toBe(before)
    expect(() =>
      withCacheSize(db, 4096, () => {
        throw new Error('scan failed')
      }),
    ).toThrow('scan failed')
    expect(size()).toBe(before)
    db.close()
  })
})

describe('openDatabase', () => {
  it('runs in WAL with synchronous=FULL and foreign keys on, at the latest schema', () => {
    const db = openDatabase(tempFile())
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(db.pragma('synchronous', { simple: true })).toBe(2)
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
    expect(db.pragma('journal_size_limit', { simple: true })).toBe(64 * 1024 * 1024)
    expect(db.pragma('user_version', { simple: true })).toBe(latestSchemaVersion)
    db.close()
  })

  it('refuses a database newer than the code, leaving it untouched', () => {
    const file = tempFile()
    openDatabase(file).close()
    const raw = new Database(file)
    raw.pragma(`user_version = ${latestSchemaVersion + 10}`)
    raw.close()
    expect(() => openDatabase(file)).toThrow(/newer than this Musubi knows/)
    const check = new Database(file)
    expect(check.pragma('user_version', { simple: true })).toBe(latestSchemaVersion + 10)
    check.close()
  })

  it('reopens without migrating again and keeps data', () => {
    const file = tempFile()
    const db = openDatabase(file)
    adoptSource(db, 'k')
    applyPage(db, [upsert('customer', 'M0000001', customer('M0000001'))], 'c', 1)
    writeSetting(db, 'ui.locale', 'en')
    db.close()
    const again = openDatabase(file)
    expect(countCustomers(again)).toBe(1)
    expect(readSetting(again, 'ui.locale')).toBe('en')
    again.close()
  })

  it('starts a fresh cache when the source changes, keeping register settings', () => {
    const db = openDatabase(tempFile())
    adoptSource(db, 'demo|a')
    applyPage(db, [upsert('customer', 'M0000001', customer('M0000001'))], 'c', 1)
    writeSetting(db, 'ui.locale', 'en')
    adoptSource(db, 'demo|a')
    expect(countCustomers(db)).toBe(1)
    adoptSource(db, 'http|https://p.example|S001')
    expect(countCustomers(db)).toBe(0)
    expect(readSetting(db, 'ui.locale')).toBe('en')
    db.close()
  })

  it('compares SQLite versions numerically', () => {
    expect(compareVersions('3.51.3', '3.51.3')).toBe(0)
    expect(compareVersions('3.9.0', '3.51.3')).toBeLessThan(0)
    expect(compareVersions('3.54.1', '3.51.3')).toBeGreaterThan(0)
  })
})
