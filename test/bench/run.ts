// `npm run bench`: speed figures for the counter's hot paths and the first sync, printed, never
// asserted. Runs the real services in plain Node on the full-size demo retailer.
//   node test/bench/run.ts [--scale 1] [--data-dir DIR]   (a DIR already synced skips the sync)
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { performance } from 'node:perf_hooks'
import { openMusubi } from '../../electron/services/musubi.ts'
import { countCustomers } from '../../electron/services/db/customers.ts'
import { prepared } from '../../electron/services/db/handle.ts'
import { foldForSearch } from '../../shared/text/normalize.ts'
import type { Customer } from '../../shared/records.ts'
import { writeFileSync } from 'node:fs'
import { signInForTests } from '../support/staff.ts'

const { values } = parseArgs({ options: { scale: { type: 'string', default: '1' }, 'data-dir': { type: 'string' } } })
const scale = Number(values.scale)
const dataDir = values['data-dir'] ?? mkdtempSync(join(tmpdir(), 'musubi-bench-'))
const configPath = join(dataDir, 'bench-config.json')
writeFileSync(configPath, JSON.stringify({ storeId: 'S001', deviceId: 'BENCH', connector: { kind: 'demo', scale } }))

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!
}

function report(label: string, samples: number[]): void {
  const sorted = [...samples].sort((a, b) => a - b)
  console.log(
    `${label.padEnd(34)} n=${String(sorted.length).padStart(5)}  p50 ${percentile(sorted, 50).toFixed(2)} ms  p95 ${percentile(sorted, 95).toFixed(2)} ms  p99 ${percentile(sorted, 99).toFixed(2)} ms  max ${sorted.at(-1)!.toFixed(2)} ms`,
  )
}

async function time(fn: () => unknown): Promise<number> {
  const t0 = performance.now()
  await fn()
  return performance.now() - t0
}

const musubi = openMusubi({ configPath, dataDir, env: {} })
signInForTests(musubi.api)
console.log(`bench: node ${process.version}, demo scale ${scale}, data in ${dataDir}`)

// 1. First sync through the one sync path.
if (countCustomers(musubi.db) === 0) {
  let peakRss = process.memoryUsage().rss
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50)
  const t0 = performance.now()
  const result = await musubi.sync.runRound()
  const seconds = (performance.now() - t0) / 1000
  clearInterval(sampler)
  peakRss = Math.max(peakRss, process.resourceUsage().maxRSS * 1024)
  console.log(
    `first sync: ${result.applied.toLocaleString('en-US')} changes in ${seconds.toFixed(1)} s = ${Math.round(result.applied / seconds).toLocaleString('en-US')} changes/s, ${result.pages} pages, peak RSS ${(peakRss / 1048576).toFixed(0)} MB`,
  )
}
const customers = countCustomers(musubi.db)
console.log(`cache: ${customers.toLocaleString('en-US')} customers`)

// 2. Customer search as the associate types (FTS5), by kind of query.
const sample = prepared<[number], { record: string }>(musubi.db, 'SELECT record FROM customers ORDER BY rowid LIMIT ?')
  .all(400)
  .map((r) => JSON.parse(r.record) as Customer)
const queries: Record<string, string[]> = {
  'search: member number': sample.map((c) => c.memberId),
  'search: family name (kanji)': sample.map((c) => c.displayName.split(/\s+/)[0]!),
  'search: reading, 2 kana': sample.map((c) => foldForSearch(c.nameKana ?? '').slice(0, 2)),
  'search: reading, full (katakana)': sample.map((c) => c.nameKana ?? ''),
  'search: phone last 4': sample.filter((c) => c.phone).map((c) => c.phone!.slice(-4)),
  'search: email prefix': sample.filter((c) => c.email).map((c) => c.email!.slice(0, 6)),
  'search: 1 kana (worst case)': ['さ', 'た', 'や', 'す', 'か'].flatMap((k) => Array(40).fill(k) as string[]),
}
for (const [label, list] of Object.entries(queries)) {
  const samples: number[] = []
  for (const q of list) samples.push(await time(() => musubi.api.customers.search(q)))
  report(label, samples)
}

// 3. Scan to card data (classification + card), what the counter waits for after a scan.
const resolveSamples: number[] = []
for (const c of sample) resolveSamples.push(await time(() => musubi.api.scan.resolve(c.memberId)))
report('scan.resolve (member card)', resolveSamples)
const heavy = prepared<[], { member_id: string; n: number }>(musubi.db, 'SELECT member_id, count(*) AS n FROM events GROUP BY member_id ORDER BY n DESC LIMIT 1').get()
if (heavy) {
  const heavySamples: number[] = []
  for (let i = 0; i < 50; i++) heavySamples.push(await time(() => musubi.api.scan.resolve(heavy.member_id)))
  report(`scan.resolve (heaviest, ${heavy.n} events)`, heavySamples)
}

await musubi.close()
if (!values['data-dir']) rmSync(dataDir, { recursive: true, force: true })
