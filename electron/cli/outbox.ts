// `musubi outbox`: what is waiting to be sent and what was parked as failed, oldest first.
import { unsentOutbox } from '../services/db/sales.ts'
import { openMusubi } from '../services/musubi.ts'
import type { CliIo, CommonOptions } from './main.ts'

export async function runOutbox(options: CommonOptions, io: CliIo): Promise<number> {
  const musubi = openMusubi({ configPath: options.configPath, dataDir: options.dataDir, env: io.env })
  try {
    const key = musubi.sync.connectorKey
    const rows = unsentOutbox(musubi.db).map((row) => ({
      seq: row.seq,
      kind: row.kind,
      saleId: row.saleId,
      state: row.state === 'pending' && row.connectorKey !== key ? 'other_source' : row.state === 'pending' ? 'waiting' : 'parked',
      attempts: row.attempts,
      nextAttemptAt: row.nextAttemptAt,
      lastError: row.lastError,
      createdAt: row.createdAt,
    }))
    if (options.json) {
      io.stdout.write(JSON.stringify({ outbox: rows }, null, 2) + '\n')
      return 0
    }
    if (rows.length === 0) {
      io.stdout.write('outbox: nothing waiting, nothing parked\n')
      return 0
    }
    io.stdout.write(`${'seq'.padStart(6)}  ${'kind'.padEnd(6)}  ${'sale'.padEnd(36)}  ${'state'.padEnd(12)}  ${'tries'.padStart(5)}  next try / error\n`)
    for (const r of rows) {
      io.stdout.write(`${String(r.seq).padStart(6)}  ${r.kind.padEnd(6)}  ${r.saleId.padEnd(36)}  ${r.state.padEnd(12)}  ${String(r.attempts).padStart(5)}  ${r.state === 'waiting' ? (r.nextAttemptAt ?? 'now') : ''}${r.lastError ? ` ${r.lastError}` : ''}\n`)
    }
    return 0
  } finally {
    await musubi.close()
  }
}
