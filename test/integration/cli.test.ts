// The `musubi` CLI as a user runs it: `node bin/musubi.js ...` in a child process, against a demo
// config at scale 0.02 and one data folder synced once for the whole file.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { Writable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main, type CliIo } from '../../electron/cli/main.ts'
import type { Check } from '../../electron/cli/doctor.ts'
import type { CustomerCard } from '../../shared/views.ts'

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
const config = { storeId: 'S001', deviceId: 'REG-01', connector: { kind: 'demo', scale: 0.02 } }

let dir: string
let configFile: string
let dataDir: string
let synced: Run

type Run = { status: number | null; stdout: string; stderr: string }

/** Runs `musubi ...args` with MUSUBI_CONFIG pointing at `configPath`. */
function musubi(args: string[], configPath = configFile): Run {
  const env: NodeJS.ProcessEnv = { ...process.env, MUSUBI_CONFIG: configPath }
  delete env['MUSUBI_DATA_DIR']
  const child = spawnSync(process.execPath, ['bin/musubi.js', ...args], { cwd: repoRoot, env, encoding: 'utf8', timeout: 60_000 })
  if (child.error) throw child.error
  return { status: child.status, stdout: child.stdout, stderr: child.stderr }
}

/** `musubi ...args --data-dir <the synced folder>`. */
const withData = (...args: string[]): Run => musubi([...args, '--data-dir', dataDir])

function writeConfig(name: string, value: unknown): string {
  const file = join(dir, name)
  writeFileSync(file, JSON.stringify(value))
  return file
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'musubi-cli-'))
  configFile = writeConfig('config.json', config)
  dataDir = join(dir, 'data')
  synced = withData('sync')
})
afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

describe('musubi sync', () => {
  it('exits 0 with progress and "up to date" on stderr and nothing on stdout', () => {
    expect(synced.status, synced.stderr).toBe(0)
    expect(synced.stdout).toBe('')
    expect(synced.stderr).toMatch(/^sync: .*changes; customers .*, products .*, events /m)
    expect(synced.stderr).toMatch(/^sync: up to date; [\d,]+ changes applied in \d+ pages/m)
  })
})

describe('musubi lookup', () => {
  it('prints a member card as JSON and exits 0', () => {
    const run = withData('lookup', 'M0000001')
    expect(run.status, run.stderr).toBe(0)
    const outcome = JSON.parse(run.stdout) as { kind: string; memberId: string; card: CustomerCard }
    expect(outcome.kind).toBe('member')
    expect(outcome.memberId).toBe('M0000001')
    expect(outcome.card.customer.memberId).toBe('M0000001')
    const channels = new Set(outcome.card.timeline.map((entry) => entry.channel))
    expect(outcome.card.timeline.length).toBeGreaterThan(0)
    expect(channels.has('store')).toBe(true)
    expect(channels.has('web') || channels.has('app')).toBe(true)
  })

  it('exits 1 for an unknown code, with the reason in the JSON', () => {
    const run = withData('lookup', 'nonsense!')
    expect(run.status).toBe(1)
    expect(JSON.parse(run.stdout)).toMatchObject({ kind: 'unknown', reason: 'unknown_code' })
  })

  it('exits 1 for a member code that is not in the cache', () => {
    const run = withData('lookup', 'M9999999')
    expect(run.status).toBe(1)
    expect(JSON.parse(run.stdout)).toMatchObject({ kind: 'member_unknown', memberId: 'M9999999', reason: 'member_not_found' })
  })

  it('prints a product for a JAN from the cache and exits 0', () => {
    const db = new Database(join(dataDir, 'musubi.db'), { readonly: true, fileMustExist: true })
    const { code } = db.prepare('SELECT code FROM product_barcodes LIMIT 1').get() as { code: string }
    db.close()
    const run = withData('lookup', code)
    expect(run.status, run.stderr).toBe(0)
    const outcome = JSON.parse(run.stdout) as { kind: string; code: string; sku: string | null; name: string | null }
    expect(outcome.kind).toBe('product')
    expect(outcome.sku).toBeTruthy()
    expect(outcome.name).toEqual(expect.any(String))
    expect(outcome.name?.length).toBeGreaterThan(0)
  })

  it('exits 64 without the text to look up', () => {
    const run = withData('lookup')
    expect(run.status).toBe(64)
    expect(run.stderr).toMatch(/give the scanned text/)
    expect(run.stdout).toBe('')
  })

  it('exits 1 naming the key when the config is bad', () => {
    const bad = writeConfig('bad-lookup.json', { ...config, timeZone: 'Mars/Base' })
    const run = musubi(['lookup', 'M0000001', '--data-dir', dataDir], bad)
    expect(run.status).toBe(1)
    expect(run.stderr).toContain('timeZone')
    expect(run.stderr).toContain('config_invalid')
  })
})

describe('musubi doctor', () => {
  it('exits 0 after a sync, with a line for config, sqlite, database and cache', () => {
    const run = withData('doctor')
    expect(run.status, run.stdout).toBe(0)
    for (const name of ['config', 'sqlite', 'database', 'cache']) {
      expect(run.stdout).toMatch(new RegExp(`^ok\\s+${name}\\s`, 'm'))
    }
    expect(run.stdout).toContain(configFile)
    expect(run.stdout).toMatch(/^ok\s+cache\s+\d+ customers/m)
    // The sync ended with every customer searchable.
    expect(run.stdout).toMatch(/^ok\s+search\s+.*musubi-search\.db: 0 customer changes waiting to be indexed/m)
    expect(run.stdout).not.toMatch(/^FAIL/m)
  })

  it('prints JSON with --json', () => {
    const run = withData('doctor', '--json')
    expect(run.status).toBe(0)
    const { checks } = JSON.parse(run.stdout) as { checks: Check[] }
    const names = checks.map((c) => c.name)
    expect(names).toEqual(expect.arrayContaining(['config', 'sqlite', 'database', 'pragmas', 'integrity', 'cache', 'sync', 'search', 'connector', 'clock']))
    expect(checks.every((c) => c.status === 'ok')).toBe(true)
  })

  it('exits 1 naming the key when the config has a bad value', () => {
    const bad = writeConfig('bad.json', { ...config, storeId: '' })
    const run = musubi(['doctor', '--data-dir', dataDir], bad)
    expect(run.status).toBe(1)
    expect(run.stdout).toMatch(/^FAIL\s+config\s+.*"storeId"/m)
    // The other checks still run.
    expect(run.stdout).toMatch(/^ok\s+database\s/m)
  })
})

describe('musubi stats', () => {
  it('prints the day at this register: text, --json figures and --csv sales, in the store’s day', () => {
    // 10:30 in Tokyo on 2026/12/06; the second sale is 00:30 on the 7th there.
    const sales = [
      { saleId: '6b0e4f58-86a5-4b0b-9a9e-3c1f3b1b0a01', at: '2026-12-06T01:30:00Z', memberId: 'M0000001', suggestionsShown: ['SKU-A'], suggestionsAccepted: ['SKU-A'] },
      { saleId: '6b0e4f58-86a5-4b0b-9a9e-3c1f3b1b0a02', at: '2026-12-06T15:30:00Z' },
    ].map((s) => ({ storeId: 'S001', deviceId: 'REG-01', staffId: 'S0001', currency: 'JPY', lines: [{ sku: 'SKU-A', qty: 1, unitPrice: 1200, discount: 0 }], coupons: [], total: 1200, suggestionsShown: [], suggestionsAccepted: [], ...s }))
    const file = join(dir, 'stats-sales.jsonl')
    writeFileSync(file, sales.map((s) => JSON.stringify(s)).join('\n') + '\n')
    expect(withData('sales', 'import', file).status).toBe(0)

    const text = withData('stats', '--date', '2026-12-06')
    expect(text.status, text.stderr).toBe(0)
    expect(text.stdout).toMatch(/^2026-12-06 \(Asia\/Tokyo\), register REG-01$/m)
    expect(text.stdout).toMatch(/^sales {15}1, ¥1,200$/m)
    expect(text.stdout).toMatch(/^identified {10}1 of 1 \(100%\)$/m)

    const json = withData('stats', '--date', '2026-12-06', '--json')
    expect(JSON.parse(json.stdout)).toMatchObject({ date: '2026-12-06', sales: 1, totalYen: 1200, identified: 1, suggestionsShown: 1, suggestionsAccepted: 1 })
    const csv = withData('stats', '--date', '2026-12-07', '--csv')
    expect(csv.stdout.trimEnd().split('\r\n').map((line) => line.split(',')[0])).toEqual(['sale_id', sales[1]!.saleId])
  })

  it('exits 64 for a date that is not a day', () => {
    const run = withData('stats', '--date', '2026-02-30')
    expect(run.status).toBe(64)
    expect(run.stderr).toBe('musubi stats: --date must be a day as YYYY-MM-DD, not "2026-02-30"\n')
  })
})

describe('musubi usage', () => {
  it('exits 64 with the usage on stderr for an unknown command', () => {
    const run = musubi(['frobnicate'])
    expect(run.status).toBe(64)
    expect(run.stderr).toContain('unknown command "frobnicate"')
    expect(run.stderr).toContain('Usage: musubi <command>')
    expect(run.stdout).toBe('')
  })

  it('exits 64 with the usage on stderr for an unknown option or no command', () => {
    const option = musubi(['sync', '--bogus'])
    expect(option.status).toBe(64)
    expect(option.stderr).toContain('Usage: musubi <command>')
    const none = musubi([])
    expect(none.status).toBe(64)
    expect(none.stderr).toContain('Usage: musubi <command>')
  })

  it('prints the usage on stdout and exits 0 with --help', () => {
    const run = musubi(['--help'])
    expect(run.status).toBe(0)
    expect(run.stdout).toContain('Usage: musubi <command>')
    expect(run.stdout).toMatch(/lookup <text>/)
    expect(run.stderr).toBe('')
  })

  it('runs as a program through its first line (`env -S node` with its flags), as npx and a PATH run it', () => {
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${dirname(process.execPath)}:${process.env['PATH'] ?? ''}` }
    const run = spawnSync(join(repoRoot, 'bin', 'musubi.js'), ['--help'], { cwd: repoRoot, env, encoding: 'utf8', timeout: 60_000 })
    expect(run.stderr).toBe('')
    expect(run.status).toBe(0)
    expect(run.stdout).toContain('Usage: musubi <command>')
  })
})

describe('main() in process', () => {
  function collector(): { stream: Writable; text: () => string } {
    const chunks: string[] = []
    const stream = new Writable({
      write(chunk: Buffer | string, _encoding, callback) {
        chunks.push(chunk.toString())
        callback()
      },
    })
    return { stream, text: () => chunks.join('') }
  }

  it('runs lookup with the given streams and env, answering the exit code', async () => {
    const stdout = collector()
    const stderr = collector()
    const io: CliIo = { stdout: stdout.stream, stderr: stderr.stream, env: { MUSUBI_CONFIG: configFile } }
    const code = await main(['lookup', 'M0000001', '--data-dir', dataDir], io)
    expect(code, stderr.text()).toBe(0)
    expect(stderr.text()).toBe('')
    expect(JSON.parse(stdout.text())).toMatchObject({ kind: 'member', memberId: 'M0000001', card: { customer: { memberId: 'M0000001' } } })

    const unknown = collector()
    expect(await main(['lookup', 'nonsense!', '--data-dir', dataDir], { ...io, stdout: unknown.stream })).toBe(1)
    expect(JSON.parse(unknown.text())).toMatchObject({ kind: 'unknown', reason: 'unknown_code' })
  })

  it('says the database is busy when another process holds it past busy_timeout (the move of a first sync)', async () => {
    // As the app holds it while it moves a first sync's events: a rollback journal, a write under way.
    const holder = new Database(join(dataDir, 'musubi.db'))
    expect(holder.pragma('journal_mode = TRUNCATE', { simple: true })).toBe('truncate')
    holder.exec('BEGIN EXCLUSIVE')
    try {
      const stderr = collector()
      const code = await main(['outbox', '--data-dir', dataDir], { stdout: collector().stream, stderr: stderr.stream, env: { MUSUBI_CONFIG: configFile } })
      expect(code).toBe(1)
      expect(stderr.text()).toMatch(/^musubi outbox: the database is busy: another Musubi process is writing to it .*\(db_busy\)\n$/)
    } finally {
      holder.exec('COMMIT')
      holder.pragma('journal_mode = WAL')
      holder.close()
    }
    // Once it is free, the same command works.
    expect(await main(['outbox', '--data-dir', dataDir], { stdout: collector().stream, stderr: collector().stream, env: { MUSUBI_CONFIG: configFile } })).toBe(0)
  })
})
