// `npm run eval`: offline evaluation of the suggestion engine on three datasets (a synthetic shop,
// the demo retailer, and a RetailRocket-like session log written after the engine was tuned and
// not tuned to) under two protocols (each customer's last purchase held out; a time
// split). The training events are written in the RetailRocket layout and given to
// `musubi recommend` (the real CLI code path, in process); the two baselines run here on the
// same training events. Prints HitRate@10 and NDCG@10 of all three; exit 1 if the engine does
// not beat both everywhere.
//   node test/eval/run.ts [--customers 20000] [--demo-scale 0.2] [--only NAME-PART] [--keep]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { parseArgs } from 'node:util'
import { main } from '../../electron/cli/main.ts'
import { cooccurrenceBaseline, popularityBaseline } from './baselines.ts'
import { demoShop } from './demo.ts'
import { score, type Scores } from './metrics.ts'
import { holdOutLastPurchase, splitByTime, writeRetailRocket, type EvalEvent, type Split } from './split.ts'
import { sessionShop } from './sessions.ts'
import { syntheticShop } from './synthetic.ts'

const K = 10
const { values } = parseArgs({ options: { customers: { type: 'string', default: '20000' }, 'demo-scale': { type: 'string', default: '0.2' }, keep: { type: 'boolean', default: false }, only: { type: 'string' } } })

const sink = new Writable({ write: (_chunk, _encoding, done) => done() })

async function evaluate(name: string, split: Split, categoryOf: Map<string, string>): Promise<boolean> {
  const dir = mkdtempSync(join(tmpdir(), 'musubi-eval-'))
  const files = { events: join(dir, 'train.csv'), items: join(dir, 'items.csv'), visitors: join(dir, 'visitors.txt'), out: join(dir, 'predictions.jsonl') }
  await writeRetailRocket(files, split, categoryOf)
  const t0 = performance.now()
  const code = await main(['recommend', '--events', files.events, '--items', files.items, '--visitors', files.visitors, '--k', String(K), '--out', files.out], {
    stdout: process.stdout,
    stderr: sink,
    env: process.env,
  })
  if (code !== 0) throw new Error(`musubi recommend exited ${code}`)
  const seconds = (performance.now() - t0) / 1000
  const engine = new Map<string, string[]>()
  for (const line of readFileSync(files.out, 'utf8').split('\n')) {
    if (!line) continue
    const { visitorid, items } = JSON.parse(line) as { visitorid: string; items: string[] }
    engine.set(visitorid, items)
  }
  const popular = popularityBaseline(split.train, K)
  const results: [string, Scores][] = [
    ['engine (musubi recommend)', score(engine, split.truth, K)],
    ['popularity', score(new Map([...split.truth.keys()].map((v) => [v, popular])), split.truth, K)],
    ['item-to-item co-occurrence', score(cooccurrenceBaseline(split.train, split.truth.keys(), K), split.truth, K)],
  ]
  console.log(`\n${name}: ${split.train.length.toLocaleString('en-US')} training events, ${split.truth.size.toLocaleString('en-US')} held-out purchases; recommend took ${seconds.toFixed(1)} s`)
  console.log(`  ${'method'.padEnd(28)} HitRate@${K}  NDCG@${K}`)
  for (const [method, s] of results) console.log(`  ${method.padEnd(28)} ${s.hitRate.toFixed(4).padStart(10)}  ${s.ndcg.toFixed(4).padStart(7)}`)
  const [, mine] = results[0]!
  const wins = results.slice(1).every(([, s]) => mine.hitRate > s.hitRate && mine.ndcg > s.ndcg)
  console.log(`  engine beats both baselines: ${wins ? 'yes' : 'NO'}`)
  if (values.keep) console.log(`  files kept in ${dir}`)
  else rmSync(dir, { recursive: true, force: true })
  return wins
}

const datasets: [string, () => Promise<{ events: EvalEvent[]; categoryOf: Map<string, string> }>][] = [
  [`synthetic shop, ${Number(values.customers).toLocaleString('en-US')} customers`, async () => syntheticShop({ customers: Number(values.customers) })],
  [`demo retailer, scale ${values['demo-scale']}`, () => demoShop(Number(values['demo-scale']))],
  // Written after the engine was tuned, and not tuned to: the "dataset it has not seen".
  ['session shop (RetailRocket-like visitors and sessions)', async () => sessionShop()],
]
let ok = true
for (const [name, load] of datasets) {
  if (values.only && !name.includes(values.only)) continue
  const { events, categoryOf } = await load()
  ok = (await evaluate(`${name}, last purchase held out`, holdOutLastPurchase(events), categoryOf)) && ok
  ok = (await evaluate(`${name}, time split (train on the first 85%)`, splitByTime(events, 0.85), categoryOf)) && ok
}
process.exitCode = ok ? 0 : 1
