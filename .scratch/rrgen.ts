// A file shaped like RetailRocket's events.csv: 2.75M rows, 1.4M visitors, 235k items, ~22k transactions.
import { createWriteStream } from 'node:fs'
import { once } from 'node:events'
let a = 12345
const rand = () => { a = (a + 0x6d2b79f5) >>> 0; let t = a; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296 }
const out = createWriteStream(process.argv[2]!)
const items = 235000, visitors = 1400000
const zipf = () => Math.floor(items * Math.pow(rand(), 3))
const T0 = 1430622000000, SPAN = 139 * 86400000
out.write('timestamp,visitorid,event,itemid,transactionid\n')
let rows = 0, tx = 0
const buyers: number[] = []
while (rows < 2750000) {
  const v = Math.floor(visitors * Math.pow(rand(), 1.5))
  let t = T0 + Math.floor(rand() * SPAN)
  const n = 1 + Math.floor(-Math.log(1 - rand()) * 1.5)
  const seen: number[] = []
  for (let i = 0; i < n; i++) { const it = zipf(); seen.push(it); if (!out.write(`${t},${v},view,${it},\n`)) await once(out, 'drain'); t += 30000; rows++ }
  if (rand() < 0.025) { const it = seen[0]!; out.write(`${t},${v},addtocart,${it},\n`); rows++; if (rand() < 0.32) { out.write(`${t + 60000},${v},transaction,${it},${++tx}\n`); rows++; buyers.push(v) } }
}
out.end(); await once(out, 'finish')
const vs = createWriteStream(process.argv[3]!)
for (const v of new Set(buyers.slice(-12000))) vs.write(`${v}\n`)
vs.end(); await once(vs, 'finish')
console.log(rows, tx)
