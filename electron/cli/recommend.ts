// `musubi recommend`: offline suggestions for evaluation. Reads events in the RetailRocket layout
// and writes one JSON line per listed visitor, `{"visitorid": "...", "items": ["...", ...]}` (at
// most k, best first), scored by the register's own engine with no stock or coupon filter.
import { recommendFromFiles } from '../services/suggest/offline.ts'
import type { CliIo } from './main.ts'

export type RecommendOptions = { events: string | undefined; items: string | undefined; visitors: string | undefined; k: string | undefined; out: string | undefined }

export async function runRecommend(options: RecommendOptions, io: CliIo): Promise<number> {
  const { events, visitors, out } = options
  if (!events || !visitors || !out) {
    io.stderr.write('musubi recommend: give --events FILE, --visitors FILE and --out FILE (and optionally --items FILE, --k N)\n')
    return 64
  }
  const k = options.k === undefined ? 10 : Number(options.k)
  if (!Number.isInteger(k) || k < 1 || k > 1000) {
    io.stderr.write('musubi recommend: --k must be a whole number from 1 to 1000\n')
    return 64
  }
  const summary = await recommendFromFiles({ events, items: options.items, visitors, k, out }, (line) => io.stderr.write(line + '\n'))
  io.stderr.write(
    `recommend: ${summary.visitors.toLocaleString('en-US')} visitors (${summary.withHistory.toLocaleString('en-US')} with history) written to ${out} in ${summary.seconds.toFixed(1)} s\n`,
  )
  return 0
}
