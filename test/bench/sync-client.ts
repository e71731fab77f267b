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
musubi.on('sync.status', (status) => {
  if (status.progress && Date.now() - lastLog > 10_000) {
    lastLog = Date.now()
    process.stderr.write(`  … ${status.progress.applied.toLocaleString('en-US')} changes\n`)
  }
})
const started = performance.now()
const result = await musubi.sync.runRound()
const seconds = (performance.now() - started) / 1000
await musubi.close()
console.log(JSON.stringify({ seconds, applied: result.applied, pages: result.pages, maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }))
