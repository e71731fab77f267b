// The outbox's bar (the issue): "records 10,000 sales while the server fails 30% of requests and
// restarts 5 times, and kills the pushing process with SIGKILL at random moments 5 times:
// afterwards the server holds each sale exactly once, and nothing is left in the outbox."
//
// Everything runs as it does at a store: the reference server is a child process with its own
// SQLite file (drop / 500 / 429 / store-then-drop on 30% of requests), restarted on the same port
// and file; the pusher is `musubi sync --until-idle` in a child process, SIGKILLed and started
// again; the sales are recorded through openMusubi() in this process while they push.
// MUSUBI_FAULT_SALES and MUSUBI_FAULT_SEED change the count and the seed of the random moments.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { isDeepStrictEqual } from 'node:util'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { DATABASE_FILE, openMusubi } from '../../electron/services/musubi.ts'
import type { Sale } from '../../shared/records.ts'
import { prng } from '../support/profile-server/faults.ts'
import { randomSale } from '../support/random-sales.ts'

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
const SALES = Number(process.env['MUSUBI_FAULT_SALES'] ?? 10_000)
const SEED = Number(process.env['MUSUBI_FAULT_SEED'] ?? 20_261_124)
const PUSHER_KILLS = 5
const SERVER_RESTARTS = 5
const FAIL_RATE = 0.3
const FAULTS = 'drop,500,429,store-then-drop'
/** Sales recorded between two turns of the event loop (one transaction each). */
const RECORD_CHUNK = 100

type Exit = { code: number | null; signal: NodeJS.Signals | null }
type Requests = { total: number; faults: number }

let dir: string
const children = new Set<ChildProcess>()
/** Set when the test failed or ended: the loops start no more processes. */
let over = false

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'musubi-outbox-faults-'))
})
afterAll(() => {
  over = true
  for (const child of children) child.kill('SIGKILL')
  rmSync(dir, { recursive: true, force: true })
})

/** Resolves once the process has exited and its pipes are drained (its last lines read). */
function exitOf(child: ChildProcess): Promise<Exit> {
  children.add(child)
  return new Promise((resolve) =>
    child.once('close', (code, signal) => {
      children.delete(child)
      resolve({ code, signal })
    }),
  )
}

/** The last `max` lines a stream wrote, read as they come (the rest is discarded). */
function lastLines(stream: NodeJS.ReadableStream, max = 20): string[] {
  const lines: string[] = []
  createInterface({ input: stream }).on('line', (line) => {
    lines.push(line)
    if (lines.length > max) lines.shift()
  })
  return lines
}

type ServerProcess = { child: ChildProcess; url: string; exited: Promise<Exit>; requests: Requests }

/** The reference server as a child process; `port` 0 picks one, a restart passes the same port again. */
async function startServer(dbFile: string, port: number, seed: number): Promise<ServerProcess> {
  for (let attempt = 1; ; attempt++) {
    const args = ['test/support/profile-server/main.ts', '--db', dbFile, '--port', String(port)]
    args.push('--fail-rate', String(FAIL_RATE), '--faults', FAULTS, '--retry-after', '0', '--seed', String(seed), '--stats-ms', '100')
    const child = spawn(process.execPath, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] })
    const exited = exitOf(child)
    const stderr = lastLines(child.stderr!)
    const requests: Requests = { total: 0, faults: 0 }
    const url = new Promise<string | null>((resolve) => {
      createInterface({ input: child.stdout! }).on('line', (line) => {
        const message = JSON.parse(line) as { url?: string; requests?: Requests }
        if (message.url) resolve(message.url)
        if (message.requests) Object.assign(requests, { total: message.requests.total, faults: message.requests.faults })
      })
      void exited.then(() => resolve(null))
    })
    const listening = await url
    if (listening) return { child, url: listening, exited, requests }
    // The port of a killed server can be busy for a moment; anything else is a real failure.
    if (attempt >= 20 || !stderr.join('\n').includes('EADDRINUSE')) throw new Error(`the profile server did not start:\n${stderr.join('\n')}`)
    await sleep(100)
  }
}

type Pusher = { child: ChildProcess; exited: Promise<Exit>; stderr: string[] }

function startPusher(configFile: string, dataDir: string): Pusher {
  const env: NodeJS.ProcessEnv = { ...process.env, MUSUBI_RETRY_BASE_MS: '2' }
  delete env['MUSUBI_CONFIG']
  delete env['MUSUBI_DATA_DIR']
  const args = ['bin/musubi.js', 'sync', '--until-idle', '--timeout', '600', '--config', configFile, '--data-dir', dataDir]
  const child = spawn(process.execPath, args, { cwd: repoRoot, env, stdio: ['ignore', 'ignore', 'pipe'] })
  return { child, exited: exitOf(child), stderr: lastLines(child.stderr!) }
}

it(`records ${SALES.toLocaleString('en-US')} sales while the server fails ${FAIL_RATE * 100}% of requests and restarts ${SERVER_RESTARTS} times and the pusher is SIGKILLed ${PUSHER_KILLS} times; the server holds each sale once and the outbox is empty`, async () => {
  const startedAt = Date.now()
  const serverDb = join(dir, 'profile.db')
  const dataDir = join(dir, 'register')
  const configFile = join(dir, 'config.json')

  let server = await startServer(serverDb, 0, SEED)
  const port = Number(new URL(server.url).port)
  const config = { storeId: 'S001', deviceId: 'REG-01', connector: { kind: 'http', endpoint: server.url, token: 'test-token' } }
  writeFileSync(configFile, JSON.stringify(config))

  // Opened (and its sync state created) before any pusher starts; closed once everything is recorded.
  const register = openMusubi({ configPath: configFile, dataDir, env: {} })
  const recorded = new Map<string, Sale>()
  const requests: Requests = { total: 0, faults: 0 }
  let recordingDone = false
  let restartsDone = false
  let kills = 0
  let restarts = 0
  let pushers = 0
  const last: { pusher: Pusher | null } = { pusher: null }

  const recording = (async () => {
    const random = prng(SEED ^ 0x5a1e5)
    try {
      while (recorded.size < SALES && !over) {
        for (let i = 0; i < RECORD_CHUNK && recorded.size < SALES; i++) {
          const sale = randomSale(random)
          expect(register.recordSale(sale)).toEqual({ saleId: sale.saleId, recorded: true })
          recorded.set(sale.saleId, sale)
        }
        await new Promise((resolve) => setImmediate(resolve))
      }
    } finally {
      await register.close()
      recordingDone = true
    }
  })()

  const restarting = (async () => {
    const random = prng(SEED ^ 0x5e7e5)
    try {
      for (let i = 1; i <= SERVER_RESTARTS; i++) {
        await sleep(1000 + random() * 3000)
        if (over) return
        // Odd restarts are crashes, even ones clean stops: both drop whatever is in flight.
        server.child.kill(i % 2 === 1 ? 'SIGKILL' : 'SIGTERM')
        await server.exited
        requests.total += server.requests.total
        requests.faults += server.requests.faults
        await sleep(random() * 300)
        if (over) return
        server = await startServer(serverDb, port, SEED + i)
        restarts++
      }
    } finally {
      restartsDone = true
    }
  })()

  const pushing = (async () => {
    const random = prng(SEED ^ 0x9051)
    while (!over) {
      // The last pusher starts once every sale is recorded and all the chaos is over, and must drain.
      const final = recordingDone && restartsDone && kills >= PUSHER_KILLS
      const pusher = startPusher(configFile, dataDir)
      last.pusher = pusher
      pushers++
      const killer = !final && kills < PUSHER_KILLS ? setTimeout(() => pusher.child.kill('SIGKILL'), 300 + random() * 2700) : null
      const exit = await pusher.exited
      if (killer) clearTimeout(killer)
      if (exit.signal === 'SIGKILL') {
        kills++
        continue
      }
      if (exit.code !== 0) throw new Error(`the pusher exited with ${exit.code ?? exit.signal}:\n${pusher.stderr.join('\n')}`)
      if (final) return
      // Drained before the chaos was over: new sales or the next restart come soon.
      await sleep(50)
    }
  })()

  try {
    await Promise.all([recording, restarting, pushing])
  } catch (error) {
    over = true
    const tail = last.pusher ? `\nlast pusher's stderr:\n${last.pusher.stderr.join('\n')}` : ''
    throw new Error(`${(error as Error).message}${tail}`, { cause: error })
  }

  server.child.kill('SIGTERM')
  const serverExit = await server.exited
  expect(serverExit.code).toBe(0)
  requests.total += server.requests.total
  requests.faults += server.requests.faults

  // The register: every sale recorded once, its outbox row sent; nothing waiting, nothing parked.
  const registerDb = new Database(join(dataDir, DATABASE_FILE), { readonly: true, fileMustExist: true })
  const sentBodies = new Map<string, string>()
  try {
    expect(registerDb.pragma('integrity_check', { simple: true })).toBe('ok')
    expect(registerDb.prepare('SELECT count(*) FROM sales').pluck().get()).toBe(SALES)
    const states = Object.fromEntries(
      (registerDb.prepare('SELECT state, count(*) AS n FROM outbox GROUP BY state').all() as Array<{ state: string; n: number }>).map((r) => [r.state, r.n]),
    )
    expect(states).toEqual({ sent: SALES })
    for (const row of registerDb.prepare(`SELECT sale_id AS saleId, body FROM outbox WHERE kind = 'sale'`).all() as Array<{ saleId: string; body: string }>) {
      sentBodies.set(row.saleId, row.body)
    }
  } finally {
    registerDb.close()
  }

  // The server: each of the sales exactly once, with the very bytes the register stored.
  const profileDb = new Database(serverDb, { readonly: true, fileMustExist: true })
  try {
    expect(profileDb.pragma('integrity_check', { simple: true })).toBe('ok')
    const rows = profileDb.prepare('SELECT sale_id AS saleId, body FROM sales').all() as Array<{ saleId: string; body: string }>
    expect(rows.length).toBe(SALES)
    expect(new Set(rows.map((r) => r.saleId)).size).toBe(SALES)
    const problems: string[] = []
    for (const row of rows) {
      const sale = recorded.get(row.saleId)
      if (!sale) problems.push(`${row.saleId}: on the server but never recorded`)
      else if (!isDeepStrictEqual(JSON.parse(row.body), sale)) problems.push(`${row.saleId}: the server's body differs from the sale recorded`)
      else if (row.body !== sentBodies.get(row.saleId)) problems.push(`${row.saleId}: the server's body is not the bytes the register stored`)
    }
    expect(problems.slice(0, 10)).toEqual([])
    expect(profileDb.prepare(`SELECT count(*) FROM idempotency_keys WHERE scope = 'sale'`).pluck().get()).toBe(SALES)
    // A sale stored twice would also have put its events in the feed twice.
    const expectedEvents = [...recorded.values()].reduce((n, s) => n + (s.memberId ? s.lines.length + s.coupons.length : 0), 0)
    expect(profileDb.prepare(`SELECT count(*) FROM changes WHERE kind = 'event'`).pluck().get()).toBe(expectedEvents)
    expect(profileDb.prepare(`SELECT count(DISTINCT id) FROM changes WHERE kind = 'event'`).pluck().get()).toBe(expectedEvents)
  } finally {
    profileDb.close()
  }

  expect(kills).toBe(PUSHER_KILLS)
  expect(restarts).toBe(SERVER_RESTARTS)
  const seconds = ((Date.now() - startedAt) / 1000).toFixed(1)
  console.log(
    `fault test: ${SALES} sales, ${requests.total} requests, ${requests.faults} faults, ${kills} pusher kills, ${restarts} server restarts, ${seconds} s` +
      ` (${pushers} pushers, seed ${SEED})`,
  )
}, 300_000)
