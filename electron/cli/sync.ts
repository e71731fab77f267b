// `musubi sync`: one round, with progress on stderr.
import type { SyncStatus } from '../../shared/views.ts'
import { openMusubi } from '../services/musubi.ts'
import type { CliIo, CommonOptions } from './main.ts'

export function progressLine(status: SyncStatus): string | null {
  const p = status.progress
  if (!p) return null
  const n = (x: number) => x.toLocaleString('en-US')
  const total = p.total !== null ? ` / ${n(p.total)} (${Math.floor((100 * p.applied) / Math.max(p.total, 1))}%)` : ''
  const eta = p.finishing ? '; putting them in place' : p.etaSeconds !== null ? `, about ${p.etaSeconds} s left` : ''
  return `sync: ${n(p.applied)}${total} changes; customers ${n(p.counts.customers)}, products ${n(p.counts.products)}, events ${n(p.counts.events)}${eta}`
}

export async function runSync(options: CommonOptions, io: CliIo): Promise<number> {
  const musubi = openMusubi({ configPath: options.configPath, dataDir: options.dataDir, env: io.env })
  try {
    let lastLine = 0
    musubi.on('sync.status', (status) => {
      const line = progressLine(status)
      if (line && Date.now() - lastLine > 1000) {
        lastLine = Date.now()
        io.stderr.write(line + '\n')
      }
    })
    const startedAt = Date.now()
    if (options.untilIdle) {
      const idle = await musubi.sync.runUntilIdle(options.timeoutSeconds * 1000)
      const seconds = ((Date.now() - startedAt) / 1000).toFixed(1)
      io.stderr.write(`sync: drained in ${seconds} s` + (idle.parked ? `; ${idle.parked} sales parked as failed (see \`musubi outbox\`)` : '') + '\n')
      return idle.parked ? 2 : 0
    }
    const result = await musubi.sync.runRound()
    const seconds = ((Date.now() - startedAt) / 1000).toFixed(1)
    const status = musubi.sync.status()
    io.stderr.write(
      `sync: up to date; ${result.applied.toLocaleString('en-US')} changes applied in ${result.pages} pages, ${seconds} s` +
        (result.skipped ? `; ${result.skipped} malformed changes skipped` : '') +
        `; ${result.sent} sales sent, ${status.salesWaiting} waiting, ${status.salesFailed} parked\n`,
    )
    return 0
  } finally {
    await musubi.close()
  }
}
