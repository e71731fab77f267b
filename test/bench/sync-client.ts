// One sync round of a register against a profile service, in its own process so its time and
// peak memory are its own. Prints one JSON line. Used by sync-bench.ts.
//   node test/bench/sync-client.ts --endpoint URL --data-dir DIR
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { openMusubi } from '../../electron/services/musubi.ts'

const { values } = parseArgs({ options: { endpoint: { type: 'string' }, 'data-dir': { type: 'string' } } })
const dataDir = values['data-dir']!
const configPath = join(dataDir, 'config.json')
writeFileSync(configPath, JSON.stringify({ storeId: 'S001', deviceId: 'BENCH', connector: { kind: 'http', endpoint: values.endpoint, token: 'test-token' }, retentionDays: 3650 }))
const musubi = openMusubi({ configPath, dataDir, env: {} })
let lastLog = 0
// When the round first applied customers, first applied events, and began its finish (a first
// sync's feed brings the catalogue, then the customers, then their events).
const marks: { customers?: number; events?: number; finishing?: number } = {}
const started = performance.now()
const startedAt = Date.now()
musubi.on('sync.status', (status) => {
  const progress = status.progress
  if (!progress) return
  const at = (performance.now() - started) / 1000
  if (progress.counts.customers > 0) marks.customers ??= at
  if (progress.counts.events > 0) marks.events ??= at
  if (progress.finishing) marks.finishing ??= at
  if (Date.now() - lastLog > 10_000) {
    lastLog = Date.now()
    process.stderr.write(`  … ${progress.applied.toLocaleString('en-US')} changes\n`)
  }
})
const result = await musubi.sync.runRound()
const seconds = (performance.now() - started) / 1000
await musubi.close()
console.log(JSON.stringify({ seconds, applied: result.applied, pages: result.pages, maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024), startedAt, marks }))
