// `musubi <command>`: argument parsing and dispatch. Each command is a function of the parsed
// options that answers the exit code; output goes to the given streams so tests can read it.
import { parseArgs } from 'node:util'
import { toErrorValue } from '../../shared/errors.ts'
import { runDoctor } from './doctor.ts'
import { runLookup } from './lookup.ts'
import { runOutbox } from './outbox.ts'
import { runRecommend } from './recommend.ts'
import { runSalesImport } from './sales.ts'
import { runStats } from './stats.ts'
import { runSync } from './sync.ts'

export type CliIo = { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream; env: Record<string, string | undefined> }
export type CommonOptions = { configPath: string | undefined; dataDir: string | undefined; json: boolean; untilIdle: boolean; timeoutSeconds: number }

const USAGE = `Usage: musubi <command> [options]

Commands:
  sync                 one round: pull the shared profile until up to date, then push waiting
                       sales (progress on stderr)
    --until-idle       keep pulling and pushing through faults until both are drained:
                       exit 0, or 2 when drained but some sales are parked as failed,
                       1 when --timeout SECONDS (default 600) passes first
  lookup <text>        classify a scanned text as the counter does; print what it would show (JSON)
  sales import <file>  record sales from a JSON Lines file (one Sale per line, the POS path);
                       exit 2 when any line was refused
  outbox               list sales waiting to be sent and parked sales (--json for machines)
  stats                the day at this register: sales, identified, suggestions, coupons, online
                       to store, by associate; --date YYYY-MM-DD (default today in the store's
                       time zone), --json for the figures, --csv for the day's sales
  doctor               check config, database, SQLite, connector and clock
  recommend            offline suggestions for evaluation, by the register's engine (no config,
                       no database): --events FILE (RetailRocket layout: timestamp,visitorid,
                       event,itemid,transactionid) [--items FILE (itemid,categoryid)]
                       --visitors FILE (one id a line) [--k 10] --out FILE (JSON Lines)

Options:
  --config FILE        the register config (default: $MUSUBI_CONFIG, then the machine-wide file)
  --data-dir DIR       where the database lives (default: $MUSUBI_DATA_DIR, then the user data folder)
  --json               machine-readable output (doctor, outbox, stats)
  -h, --help           this help
`

export async function main(argv: string[], io: CliIo = { stdout: process.stdout, stderr: process.stderr, env: process.env }): Promise<number> {
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        config: { type: 'string' },
        'data-dir': { type: 'string' },
        json: { type: 'boolean', default: false },
        csv: { type: 'boolean', default: false },
        date: { type: 'string' },
        'until-idle': { type: 'boolean', default: false },
        timeout: { type: 'string' },
        events: { type: 'string' },
        items: { type: 'string' },
        visitors: { type: 'string' },
        k: { type: 'string' },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    })
  } catch (error) {
    io.stderr.write(`musubi: ${(error as Error).message}\n\n${USAGE}`)
    return 64
  }
  const [command, ...rest] = parsed.positionals
  if (parsed.values.help || !command) {
    ;(parsed.values.help ? io.stdout : io.stderr).write(USAGE)
    return parsed.values.help ? 0 : 64
  }
  const timeoutSeconds = parsed.values.timeout === undefined ? 600 : Number(parsed.values.timeout)
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) {
    io.stderr.write(`musubi: --timeout must be a positive number of seconds\n`)
    return 64
  }
  const common: CommonOptions = {
    configPath: parsed.values.config,
    dataDir: parsed.values['data-dir'],
    json: parsed.values.json,
    untilIdle: parsed.values['until-idle'],
    timeoutSeconds,
  }
  try {
    switch (command) {
      case 'sync':
        return await runSync(common, io)
      case 'lookup':
        if (rest.length !== 1) {
          io.stderr.write('musubi lookup: give the scanned text as one argument (quote it)\n')
          return 64
        }
        return await runLookup(common, rest[0]!, io)
      case 'doctor':
        return await runDoctor(common, io)
      case 'sales':
        if (rest[0] !== 'import' || rest.length !== 2) {
          io.stderr.write('musubi sales: use `musubi sales import <file.jsonl>`\n')
          return 64
        }
        return await runSalesImport(common, rest[1]!, io)
      case 'outbox':
        return await runOutbox(common, io)
      case 'stats':
        return await runStats(common, parsed.values.date, parsed.values.csv, io)
      case 'recommend': {
        const { events, items, visitors, k, out } = parsed.values
        return await runRecommend({ events, items, visitors, k, out }, io)
      }
      default:
        io.stderr.write(`musubi: unknown command "${command}"\n\n${USAGE}`)
        return 64
    }
  } catch (error) {
    const { code, message } = toErrorValue(error)
    io.stderr.write(`musubi ${command}: ${message} (${code})\n`)
    return 1
  }
}
