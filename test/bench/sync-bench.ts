// `npm run bench:sync`: a register's full sync of 1,000,000 customers and 10,000,000 events from
// the test profile server over HTTP, then a delta of 100,000 changes. Prints changes per second
// and the client's peak memory, overall and per phase. The server's feed is seeded once from the
// demo generator and kept in the cache folder (a few GB) for later runs.
//   node test/bench/sync-bench.ts [--customers 1000000] [--events 10000000] [--cache DIR]
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import Database from 'better-sqlite3'
import { createDemoConnector } from '../../electron/services/sync/demo/index.ts'
import type { RawChange } from '../../shared/records.ts'
import { startProfileServer } from '../support/profile-server/server.ts'

const ROOT = join(import.meta.dirname, '..', '..')
const { values } = parseArgs({
  options: { customers: { type: 'string', default: '1000000' }, events: { type: 'string', default: '10000000' }, cache: { type: 'string', default: join(tmpdir(), 'musubi-bench-cache') } },
})
const wantCustomers = Number(values.customers)
const wantEvents = Number(values.events)
mkdirSync(values.cache, { recursive: true })
const serverDb = join(values.cache, `profile-${wantCustomers}-${wantEvents}.db`)

/** Fills the server's feed from the demo generator: catalogue, `wantCustomers` members, then their events up to `wantEvents`. */
async function seed(): Promise<void> {
  const started = performance.now()
  const server = await startProfileServer({ dbFile: serverDb })
  const connector = createDemoConnector({ scale: wantCustomers / 50_000, now: () => new Date('2026-11-22T00:00:00Z') })
  let cursor: string | null = null
  let events = 0
  let total = 0
  for (;;) {
    const page = await connector.pullChanges(cursor, 5000)
    const keep: RawChange[] = []
    for (const change of page.changes) {
      if (change.kind === 'event') {
        if (events >= wantEvents) continue
        events++
      }
      keep.push(change)
    }
    server.addChanges(keep as Array<{ kind: string; op: 'upsert'; id: string; data: unknown }>)
    total += keep.length
    cursor = page.cursor
    if (!page.hasMore || events >= wantEvents) break
  }
  await server.close()
  console.log(`seeded the server's feed: ${total.toLocaleString('en-US')} changes (${events.toLocaleString('en-US')} events) in ${((performance.now() - started) / 1000).toFixed(0)} s`)
}

/** The server on the same port every time: the register's cache belongs to one endpoint. */
function startServerProcess(port = 0): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['test/support/profile-server/main.ts', '--db', serverDb, '--port', String(port)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] })
  return new Promise((resolve, reject) => {
    child.stdout!.once('data', (chunk: Buffer) => resolve({ child, url: (JSON.parse(chunk.toString().split('\n')[0]!) as { url: string }).url }))
    child.once('exit', (code) => reject(new Error(`profile server exited ${code}`)))
  })
}

type ClientRun = {
  seconds: number
  applied: number
  pages: number
  maxRssMb: number
  /** When the round started (epoch ms), and its phases' starts in seconds from then. */
  startedAt: number
  marks: { customers?: number; events?: number; finishing?: number }
  /** The client's resident memory read every 100 ms from outside (Linux): [epoch ms, MB]. */
  rss: Array<[number, number]>
}

/** Where a first sync's time went: up to the first customer, the customers, the events, the finish (see sync-client.ts). */
function phasesOf(run: ClientRun): string {
  const { customers = 0, events = customers, finishing = run.seconds } = run.marks
  const span = (from: number, to: number) => `${Math.max(0, to - from).toFixed(1)} s`
  return `catalogue ${span(0, customers)}, customers ${span(customers, events)}, events ${span(events, finishing)}, finish ${span(finishing, run.seconds)}`
}

/** The highest sampled RSS in each phase, and when: to tell where a sync's peak memory is. */
function peaksOf(run: ClientRun): string {
  if (run.rss.length === 0) return 'not sampled (no /proc here)'
  const { customers = 0, events = customers, finishing = run.seconds } = run.marks
  const phases: Array<[string, number, number]> = [
    ['start', -Infinity, customers],
    ['customers', customers, events],
    ['events', events, finishing],
    ['finish', finishing, Infinity],
  ]
  return phases
    .map(([name, from, to]) => {
      let peak: [number, number] | null = null
      for (const [at, mb] of run.rss) {
        const t = (at - run.startedAt) / 1000
        if (t >= from && t < to && (peak === null || mb > peak[1])) peak = [t, mb]
      }
      return peak ? `${name} ${peak[1]} MB (at ${peak[0].toFixed(1)} s)` : `${name} -`
    })
    .join(', ')
}

/** Node's flags on the first line of bin/musubi.js: the client runs as `musubi sync` does. */
const cliNodeFlags = readFileSync(join(ROOT, 'bin/musubi.js'), 'utf8').split('\n', 1)[0]!.split(' ').filter((word) => word.startsWith('--'))

function runClient(url: string, dataDir: string): Promise<ClientRun> {
  const child = spawn(process.execPath, [...cliNodeFlags, 'test/bench/sync-client.ts', '--endpoint', url, '--data-dir', dataDir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] })
  let out = ''
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
  // Read from this process, so the client carries no sampler of its own.
  const rss: Array<[number, number]> = []
  const sampler = setInterval(() => {
    try {
      const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1]
      if (kb) rss.push([Date.now(), Math.round(Number(kb) / 1024)])
    } catch {
      clearInterval(sampler)
    }
  }, 100)
  return new Promise((resolve, reject) =>
    child.on('exit', (code) => {
      clearInterval(sampler)
      if (code === 0) resolve({ ...(JSON.parse(out.trim().split('\n').at(-1)!) as Omit<ClientRun, 'rss'>), rss })
      else reject(new Error(`sync client exited ${code}`))
    }),
  )
}

/**
 * The feed as seeded, without the deltas earlier runs appended: each run's full sync measures the
 * same 1M customers and 10M events. The seeded head is kept in the server's meta table (feeds
 * seeded before it was kept: the change before the first delta's first event).
 */
function resetToSeed(): void {
  const db = new Database(serverDb)
  try {
    let head = (db.prepare("SELECT value FROM meta WHERE key = 'benchSeedHead'").pluck().get() as string | undefined) ?? null
    if (head === null) {
      const firstDelta = db.prepare("SELECT min(seq) FROM changes WHERE kind = 'event' AND id >= 'bench-' AND id < 'bench.'").pluck().get() as number | null
      head = String(firstDelta === null ? (db.prepare('SELECT max(seq) FROM changes').pluck().get() as number) : firstDelta - 2)
      db.prepare("INSERT INTO meta (key, value) VALUES ('benchSeedHead', ?)").run(head)
    }
    const removed = db.prepare('DELETE FROM changes WHERE seq > ?').run(Number(head)).changes
    if (removed > 0) console.log(`removed ${removed.toLocaleString('en-US')} changes earlier runs appended (deltas); the feed is as seeded again`)
  } finally {
    db.close()
  }
}

if (!existsSync(serverDb)) await seed()
resetToSeed()
const dataDir = mkdtempSync(join(tmpdir(), 'musubi-bench-register-'))
let server = await startServerProcess()
try {
  console.log(`the client: node ${cliNodeFlags.join(' ')} (as \`musubi sync\` runs)`)
  const full = await runClient(server.url, dataDir)
  console.log(
    `full sync over HTTP: ${full.applied.toLocaleString('en-US')} changes in ${full.seconds.toFixed(1)} s = ${Math.round(full.applied / full.seconds).toLocaleString('en-US')} changes/s, ${full.pages} pages, client peak RSS ${full.maxRssMb} MB (target: under 120 s and 500 MB)`,
  )
  console.log(`  phases: ${phasesOf(full)}`)
  console.log(`  peak RSS by phase (sampled every 100 ms): ${peaksOf(full)}`)

  // A delta: 100,000 new changes (customer updates and new events) on top of the same feed.
  server.child.kill('SIGTERM')
  await new Promise((resolve) => server.child.once('exit', resolve))
  const writer = await startProfileServer({ dbFile: serverDb })
  const stamp = new Date().toISOString()
  const delta: Array<{ kind: string; op: 'upsert'; id: string; data: unknown }> = []
  for (let i = 0; i < 100_000; i++) {
    const memberId = `M${String(1 + ((i * 7919) % wantCustomers)).padStart(7, '0')}`
    delta.push(
      i % 10 === 0
        ? { kind: 'customer', op: 'upsert', id: memberId, data: { memberId, displayName: '更新 太郎', nameKana: 'コウシン タロウ', tags: ['delta'], consent: { personalization: true }, updatedAt: stamp } }
        : { kind: 'event', op: 'upsert', id: `bench-${stamp}-${i}`, data: { id: `bench-${stamp}-${i}`, memberId, type: 'view', channel: 'web', sku: 'SKU-BENCH', at: stamp } },
    )
  }
  for (let i = 0; i < delta.length; i += 5000) writer.addChanges(delta.slice(i, i + 5000))
  await writer.close()
  server = await startServerProcess(Number(new URL(server.url).port))
  const deltaRun = await runClient(server.url, dataDir)
  console.log(`delta sync over HTTP: ${deltaRun.applied.toLocaleString('en-US')} changes in ${deltaRun.seconds.toFixed(1)} s = ${Math.round(deltaRun.applied / deltaRun.seconds).toLocaleString('en-US')} changes/s, client peak RSS ${deltaRun.maxRssMb} MB`)
} finally {
  server.child.kill('SIGTERM')
  rmSync(dataDir, { recursive: true, force: true })
}
