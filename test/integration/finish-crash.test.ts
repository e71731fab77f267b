// A first sync killed while it moves its staged events, which it does with a rollback journal
// (db/open.ts, withRollbackJournal): the next start finds a hot journal, rolls the move back
// whole, goes back to the WAL, and the finish then runs again to the same end.
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, it } from 'vitest'
import type { RawChange } from '../../shared/records.ts'
import { openDatabase } from '../../electron/services/db/open.ts'
import { countStagedEvents } from '../../electron/services/db/staged-events.ts'
import { readSyncState } from '../../electron/services/db/sync-state.ts'
import { applyPage } from '../../electron/services/sync/apply.ts'
import { beginStaging, finishStaging } from '../../electron/services/sync/first-sync.ts'
import { adoptSource } from '../../electron/services/sync/sync-service.ts'
import { customer, event, upsert } from '../support/fixtures.ts'

const dir = mkdtempSync(join(tmpdir(), 'musubi-finish-crash-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const MEMBERS = 200
const EVENTS = 40_000

/** Runs the child until it says `moved`, then SIGKILLs it; answers what it printed. */
function killAfterMove(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['test/support/finish-crash-child.ts', '--db', file], { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      if (out.includes('moved\n')) child.kill('SIGKILL')
    })
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()))
    child.on('error', reject)
    child.on('exit', (_code, signal) => (signal === 'SIGKILL' ? resolve(out) : reject(new Error(`child ended on its own: ${out} ${err}`))))
  })
}

it('rolls back a move killed inside its transaction, and the finish then ends as it would have', async () => {
  const file = join(dir, 'musubi.db')
  const db = openDatabase(file)
  adoptSource(db, 'test')
  beginStaging(db)
  const members = Array.from({ length: MEMBERS }, (_, i) => `M${String(i + 1).padStart(7, '0')}`)
  applyPage(db, members.map((m) => upsert('customer', m, customer(m))), 'c1', 1, { staged: true })
  for (let page = 0; page < EVENTS / 5_000; page++) {
    const changes: RawChange[] = []
    for (let i = 0; i < 5_000; i++) {
      const n = page * 5_000 + i
      const id = `e${String((n * 7_919) % EVENTS).padStart(6, '0')}`
      changes.push(upsert('event', id, event(id, { memberId: members[n % MEMBERS]!, type: 'purchase', sku: `SKU-${n % 50}`, channel: 'store', storeId: 'S001', at: '2026-11-20T05:00:00.000Z' })))
    }
    applyPage(db, changes, `e${page + 1}`, 1, { staged: true })
  }
  expect(countStagedEvents(db)).toBe(EVENTS)
  db.close()

  const printed = await killAfterMove(file)
  expect(printed).toBe('journal truncate\nmoved\n')
  // The killed move had written pages to the file: its journal is hot (not the empty file a
  // committed transaction leaves in TRUNCATE mode).
  expect(existsSync(`${file}-journal`) && statSync(`${file}-journal`).size).toBeGreaterThan(0)

  const reopened = openDatabase(file)
  try {
    expect(reopened.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(reopened.pragma('integrity_check', { simple: true })).toBe('ok')
    expect(countStagedEvents(reopened)).toBe(EVENTS)
    expect(reopened.prepare('SELECT count(*) FROM events').pluck().get()).toBe(0)
    expect(readSyncState(reopened)).toMatchObject({ staging: true, cursor: `e${EVENTS / 5_000}` })

    await finishStaging(reopened, () => undefined, () => undefined)
    expect(reopened.prepare('SELECT count(*) FROM events').pluck().get()).toBe(EVENTS)
    expect(countStagedEvents(reopened)).toBe(0)
    expect(readSyncState(reopened)!.staging).toBe(false)
    expect(reopened.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(reopened.pragma('integrity_check', { simple: true })).toBe('ok')
  } finally {
    reopened.close()
  }
})
