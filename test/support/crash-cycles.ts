// Crash cycles in the spirit of SQLite's own crash tests: a child records sales into the
// register's database through the real module (crash-child.ts) and is SIGKILLed at a random
// moment; the next child opens the same file again. Every sale the child acknowledged (only after
// its COMMIT returned) must be there afterwards, whole: the sale, its outbox row and, for a
// member, its timeline events. Used by test/integration/crash.test.ts (50 cycles) and by a
// benchmark (1,000).
import { spawn } from 'node:child_process'
import { dirname, join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import type { Readable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import type { Sale } from '../../shared/records.ts'
import { openDatabase } from '../../electron/services/db/open.ts'
import { prng } from './profile-server/faults.ts'

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
const childScript = join(repoRoot, 'test', 'support', 'crash-child.ts')

export type CrashOptions = {
  /** The register's database; created by the first child when missing. */
  dbFile: string
  /** Written on every outbox row, e.g. `http|http://127.0.0.1:PORT|S001`. */
  connectorKey: string
  cycles: number
  /** Seeds the kill moments and the sales' shapes (default 1). */
  seed?: number
  /** The kill comes this long after the child's first acknowledged sale (default 5–80 ms). */
  minKillMs?: number
  maxKillMs?: number
  /**
   * The first cycle and every Nth after it are killed 0–3 ms after `open` instead, while the child
   * creates and migrates (or opens and recovers) the file; 0: never (default 10).
   */
  earlyKillEvery?: number
  /** Called after each cycle (progress for a long benchmark). */
  onCycle?: (cycle: number, summary: CrashSummary) => void
}

export type CrashSummary = {
  cycles: number
  /** Cycles killed while opening the database, before any sale. */
  earlyKills: number
  /** Every saleId a child acknowledged, with the cycle it came from. */
  acked: Map<string, number>
  ms: number
}

export type CrashCheck = {
  integrity: string
  /** Sales in the database (acknowledged or committed just before the kill). */
  recorded: number
  outboxRows: number
  /** Acknowledged but not in `sales` or without their outbox row: lost sales (must be empty). */
  lost: Array<{ saleId: string; cycle: number; in: string }>
  /** A sale without exactly one outbox row with its bytes, or a member sale with missing events (must be empty). */
  torn: string[]
}

type Exit = { code: number | null; signal: NodeJS.Signals | null }

/** Runs the cycles; throws when a child fails on its own (a database it cannot open, a refused sale). */
export async function runCrashCycles(options: CrashOptions): Promise<CrashSummary> {
  const startedAt = Date.now()
  const seed = options.seed ?? 1
  const random = prng(seed)
  const minKill = options.minKillMs ?? 5
  const maxKill = options.maxKillMs ?? 80
  const earlyEvery = options.earlyKillEvery ?? 10
  const summary: CrashSummary = { cycles: 0, earlyKills: 0, acked: new Map(), ms: 0 }

  for (let cycle = 1; cycle <= options.cycles; cycle++) {
    const early = earlyEvery > 0 && cycle % earlyEvery === 1 % earlyEvery
    const args = [childScript, '--db', options.dbFile, '--connector-key', options.connectorKey, '--seed', String(seed * 100_003 + cycle)]
    const child = spawn(process.execPath, args, { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe', 'pipe'] })
    const stderr: string[] = []
    createInterface({ input: child.stderr! }).on('line', (line) => stderr.push(line))
    // 'close' comes after the pipes are drained: every ack the child wrote has been read by then.
    const closed = new Promise<Exit>((resolve) => child.once('close', (code, signal) => resolve({ code, signal })))
    let killer: ReturnType<typeof setTimeout> | null = null
    const killIn = (ms: number): void => {
      killer ??= setTimeout(() => child.kill('SIGKILL'), ms)
    }
    // An orphaned or stuck child must not hang the run.
    const watchdog = setTimeout(() => child.kill('SIGKILL'), 15_000)
    let sawReady = false
    let acks = 0
    createInterface({ input: child.stdio[3] as Readable }).on('line', (line) => {
      if (line === 'open') {
        if (early) killIn(random() * 3)
      } else if (line === 'ready') {
        sawReady = true
      } else {
        summary.acked.set(line, cycle)
        if (acks++ === 0 && !early) killIn(minKill + random() * (maxKill - minKill))
      }
    })
    const exit = await closed
    clearTimeout(watchdog)
    if (killer) clearTimeout(killer)
    if (exit.signal !== 'SIGKILL' || killer === null) {
      throw new Error(`crash cycle ${cycle}: the child ended by itself (${exit.code ?? exit.signal}) after ${acks} sales:\n${stderr.slice(-20).join('\n')}`)
    }
    if (early && !sawReady) summary.earlyKills++
    summary.cycles = cycle
    summary.ms = Date.now() - startedAt
    options.onCycle?.(cycle, summary)
  }
  summary.ms = Date.now() - startedAt
  return summary
}

/** Opens the database as the register would after the crash and checks what the children left. */
export function checkCrashDatabase(dbFile: string, acked: ReadonlyMap<string, number>): CrashCheck {
  const db = openDatabase(dbFile)
  try {
    const integrity = (db.pragma('integrity_check') as Array<{ integrity_check: string }>).map((r) => r.integrity_check).join('; ')
    const sales = db.prepare('SELECT sale_id AS saleId, member_id AS memberId, body FROM sales').all() as Array<{ saleId: string; memberId: string | null; body: string }>
    const outbox = db.prepare(`SELECT sale_id AS saleId, body, state FROM outbox WHERE kind = 'sale'`).all() as Array<{ saleId: string; body: string; state: string }>
    const outboxRows = db.prepare('SELECT count(*) FROM outbox').pluck().get() as number
    const events = db.prepare('SELECT order_id AS saleId, count(*) AS n FROM events WHERE sync_gen = 0 GROUP BY order_id').all() as Array<{ saleId: string; n: number }>
    const eventsOf = new Map(events.map((e) => [e.saleId, e.n]))

    const saleIds = new Set(sales.map((s) => s.saleId))
    const rowsOf = new Map<string, Array<{ body: string; state: string }>>()
    for (const row of outbox) rowsOf.set(row.saleId, [...(rowsOf.get(row.saleId) ?? []), row])

    const lost: CrashCheck['lost'] = []
    for (const [saleId, cycle] of acked) {
      if (!saleIds.has(saleId)) lost.push({ saleId, cycle, in: 'sales' })
      else if (!rowsOf.has(saleId)) lost.push({ saleId, cycle, in: 'outbox' })
    }
    const torn: string[] = []
    for (const sale of sales) {
      const rows = rowsOf.get(sale.saleId) ?? []
      if (rows.length !== 1 || rows[0]!.body !== sale.body || rows[0]!.state !== 'pending') {
        torn.push(`${sale.saleId}: ${rows.length} outbox rows${rows.length === 1 ? ` (${rows[0]!.state}, body ${rows[0]!.body === sale.body ? 'same' : 'different'})` : ''}`)
        continue
      }
      if (sale.memberId !== null) {
        const body = JSON.parse(sale.body) as Sale
        const expected = body.lines.length + body.coupons.length
        const found = eventsOf.get(sale.saleId) ?? 0
        if (found !== expected) torn.push(`${sale.saleId}: ${found} of its ${expected} timeline events`)
      }
    }
    for (const row of outbox) if (!saleIds.has(row.saleId)) torn.push(`${row.saleId}: an outbox row without its sale`)
    for (const e of events) if (!saleIds.has(e.saleId)) torn.push(`${e.saleId}: ${e.n} timeline events without their sale`)
    return { integrity, recorded: sales.length, outboxRows, lost, torn }
  } finally {
    db.close()
  }
}
