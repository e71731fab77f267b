// The reference Profile API server as a separate process:
//   node test/support/profile-server/main.ts --db FILE [--port N] [--store S001] [--token T]
//     [--fail-rate 0.3] [--faults drop,500,429,slow,store-then-drop] [--seed 1]
//     [--retry-after 1] [--slow-ms 10000] [--duplicate-changes] [--stats-ms 100]
// Prints one JSON line {"url": "..."} on stdout once listening; exits cleanly on SIGTERM / SIGINT.
// With --stats-ms N it also prints {"requests": {"total", "byPath", "faults"}} every N ms while the
// counts change and once more on a clean exit (a SIGKILLed server loses its last N ms of counts).
import { parseArgs } from 'node:util'
import type { FaultKind, Faults } from './faults.ts'
import { startProfileServer } from './server.ts'

function number(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined
  const value = Number(text)
  if (text.trim() === '' || Number.isNaN(value)) throw new Error(`--${name} must be a number, got ${JSON.stringify(text)}`)
  return value
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      db: { type: 'string' },
      port: { type: 'string' },
      store: { type: 'string' },
      token: { type: 'string' },
      'fail-rate': { type: 'string' },
      faults: { type: 'string' },
      seed: { type: 'string' },
      'retry-after': { type: 'string' },
      'slow-ms': { type: 'string' },
      'duplicate-changes': { type: 'boolean' },
      'stats-ms': { type: 'string' },
    },
    strict: true,
  })
  if (values.db === undefined) throw new Error('--db FILE is required')
  const faults: Partial<Faults> = {}
  const failRate = number('fail-rate', values['fail-rate'])
  if (failRate !== undefined) faults.failRate = failRate
  if (values.faults !== undefined) faults.kinds = values.faults.split(',').map((k) => k.trim()).filter(Boolean) as FaultKind[]
  const seed = number('seed', values.seed)
  if (seed !== undefined) faults.seed = seed
  const retryAfter = number('retry-after', values['retry-after'])
  if (retryAfter !== undefined) faults.retryAfterSeconds = retryAfter
  const slowMs = number('slow-ms', values['slow-ms'])
  if (slowMs !== undefined) faults.slowMs = slowMs
  if (values['duplicate-changes']) faults.duplicateChanges = true

  const server = await startProfileServer({
    dbFile: values.db,
    port: number('port', values.port) ?? 0,
    storeId: values.store,
    token: values.token,
    faults,
  })
  process.stdout.write(`${JSON.stringify({ url: server.url })}\n`)

  let reported = -1
  const report = (): void => {
    const requests = server.requests()
    if (requests.total === reported) return
    reported = requests.total
    process.stdout.write(`${JSON.stringify({ requests })}\n`)
  }
  const statsMs = number('stats-ms', values['stats-ms'])
  const statsTimer = statsMs !== undefined && statsMs > 0 ? setInterval(report, statsMs) : null

  let stopping = false
  const stop = (): void => {
    if (stopping) return
    stopping = true
    if (statsTimer) {
      clearInterval(statsTimer)
      report()
    }
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error)
        process.exit(1)
      },
    )
  }
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
}

main().catch((error: unknown) => {
  console.error(`profile-server: ${error instanceof Error ? error.message : String(error)}`)
  process.exit(2)
})
