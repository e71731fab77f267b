// `musubi stats [--date YYYY-MM-DD] [--json | --csv]`: the manager's day at this register, for the
// back office's scripts (the same figures as the page; no sign-in: the CLI runs as the register's IT).
import { isLocalDate, localDate } from '../../shared/time/zone.ts'
import { openMusubi } from '../services/musubi.ts'
import { dailySalesCsv, dailyStats } from '../services/stats/daily.ts'
import type { CliIo, CommonOptions } from './main.ts'

const percent = (part: number, whole: number): string => (whole === 0 ? '-' : `${Math.round((part / whole) * 100)}%`)
const yen = (n: number): string => `¥${n.toLocaleString('en-US')}`

export async function runStats(options: CommonOptions, date: string | undefined, csv: boolean, io: CliIo): Promise<number> {
  if (date !== undefined && !isLocalDate(date)) {
    io.stderr.write(`musubi stats: --date must be a day as YYYY-MM-DD, not "${date}"\n`)
    return 64
  }
  const musubi = openMusubi({ configPath: options.configPath, dataDir: options.dataDir, env: io.env })
  try {
    const { config } = musubi.loaded
    const context = { db: musubi.db, timeZone: config.timeZone, connectorKey: musubi.sync.connectorKey }
    const day = date ?? localDate(Date.now(), config.timeZone)
    if (csv) {
      io.stdout.write(dailySalesCsv(context, day))
      return 0
    }
    const stats = dailyStats(context, day)
    if (options.json) {
      io.stdout.write(JSON.stringify(stats, null, 2) + '\n')
      return 0
    }
    const lines = [
      `${stats.date} (${stats.timeZone}), register ${config.deviceId}`,
      `sales               ${stats.sales}, ${yen(stats.totalYen)}`,
      `identified          ${stats.identified} of ${stats.sales} (${percent(stats.identified, stats.sales)})`,
      `cards opened        ${stats.cardsOpened}`,
      `suggestions         ${stats.suggestionsShown} shown, ${stats.suggestionsAccepted} taken (${percent(stats.suggestionsAccepted, stats.suggestionsShown)})`,
      `coupons redeemed    ${stats.couponsRedeemed}`,
      `online to store     ${stats.onlineInfluenced.sales} sales, ${yen(stats.onlineInfluenced.yen)}`,
      ...stats.byStaff.map((s) => `  ${s.staffId.padEnd(10)} ${(s.name ?? '').padEnd(12)} ${String(s.sales).padStart(4)} sales  ${yen(s.totalYen).padStart(10)}  ${percent(s.identified, s.sales).padStart(4)} members  ${s.cardsOpened} cards`),
    ]
    io.stdout.write(lines.join('\n') + '\n')
    return 0
  } finally {
    await musubi.close()
  }
}
