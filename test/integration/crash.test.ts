// Crash safety of recording a sale, in the spirit of SQLite's own crash tests: a child process
// records sales through the real database module and is SIGKILLed at a random moment, cycle after
// cycle on the same file (test/support/crash-cycles.ts). Afterwards the file is intact, every sale
// a child acknowledged after its COMMIT is there with its outbox row, and the outbox then delivers
// each recorded sale to the server exactly once. MUSUBI_CRASH_CYCLES raises the count (default 50).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { DATABASE_FILE, openMusubi } from '../../electron/services/musubi.ts'
import { checkCrashDatabase, runCrashCycles } from '../support/crash-cycles.ts'
import { startProfileServer, type ProfileServer } from '../support/profile-server/server.ts'

const CYCLES = Number(process.env['MUSUBI_CRASH_CYCLES'] ?? 50)

let dir: string
let server: ProfileServer

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'musubi-crash-'))
  // Started first: the port is part of the connector key every outbox row carries.
  server = await startProfileServer({ dbFile: join(dir, 'profile.db') })
})
afterAll(async () => {
  await server.close()
  rmSync(dir, { recursive: true, force: true })
})

it(`keeps every acknowledged sale whole through ${CYCLES} SIGKILLs while recording, and then sends each once`, async () => {
  const dataDir = join(dir, 'register')
  const dbFile = join(dataDir, DATABASE_FILE)
  const connectorKey = `http|${server.url}|S001`

  const summary = await runCrashCycles({ dbFile, connectorKey, cycles: CYCLES, seed: 20_261_124 })
  expect(summary.cycles).toBe(CYCLES)
  expect(summary.acked.size).toBeGreaterThan(0)

  const check = checkCrashDatabase(dbFile, summary.acked)
  expect(check.integrity).toBe('ok')
  expect(check.lost.slice(0, 10)).toEqual([])
  expect(check.torn.slice(0, 10)).toEqual([])
  expect(check.outboxRows).toBe(check.recorded)
  // A child acks each sale before it begins the next: a kill leaves at most one sale committed but unacked.
  expect(check.recorded).toBeGreaterThanOrEqual(summary.acked.size)
  expect(check.recorded - summary.acked.size).toBeLessThanOrEqual(summary.cycles)

  // The register after the crashes, pointed at the server: its outbox drains, each sale once.
  const configFile = join(dir, 'config.json')
  writeFileSync(configFile, JSON.stringify({ storeId: 'S001', deviceId: 'REG-01', connector: { kind: 'http', endpoint: server.url, token: 'test-token' } }))
  const register = openMusubi({ configPath: configFile, dataDir, env: {} })
  let recordedIds: string[]
  try {
    expect(register.sync.connectorKey).toBe(connectorKey)
    expect(await register.sync.runUntilIdle(60_000)).toEqual({ waiting: 0, parked: 0 })
    recordedIds = (register.db.prepare('SELECT sale_id FROM sales').pluck().all() as string[]).sort()
  } finally {
    await register.close()
  }
  const onServer = server.sales().map((sale) => sale.saleId)
  expect(onServer.length).toBe(check.recorded)
  expect(new Set(onServer).size).toBe(onServer.length)
  expect([...onServer].sort()).toEqual(recordedIds)
  const delivered = new Set(onServer)
  expect([...summary.acked.keys()].filter((saleId) => !delivered.has(saleId))).toEqual([])

  console.log(
    `crash test: ${summary.cycles} cycles, ${summary.acked.size} acked sales, ${check.recorded} recorded, integrity ${check.integrity}` +
      ` (${summary.earlyKills} killed while opening, ${(summary.ms / 1000).toFixed(1)} s)`,
  )
}, 600_000)
