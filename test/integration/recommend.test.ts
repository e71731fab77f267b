// `musubi recommend` on a small file in the RetailRocket layout: the real binary once, then the
// same code in process for the details of the output.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { Writable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main } from '../../electron/cli/main.ts'
import { readItemCategories } from '../../electron/services/suggest/offline.ts'

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
const DAY_MS = 86_400_000
const T0 = Date.UTC(2026, 9, 1)
const at = (day: number, minute = 0): number => T0 + day * DAY_MS + minute * 60_000

let dir: string
let files: { events: string; items: string; visitors: string }

/**
 * Visitor 1 carted item 500 and bought 100 once; 2 viewed 600 three times; item 200 is bought with
 * 100 by everyone (1001..1005); 300 is the best seller; 9 has no history at all.
 */
function eventsCsv(): string {
  const rows = ['timestamp,visitorid,event,itemid,transactionid']
  let tx = 1
  for (let v = 1001; v <= 1005; v++) {
    rows.push(`${at(10 + v - 1001)},${v},view,100,`, `${at(10 + v - 1001, 1)},${v},addtocart,100,`)
    rows.push(`${at(10 + v - 1001, 2)},${v},transaction,100,${tx}`, `${at(10 + v - 1001, 2)},${v},transaction,200,${tx++}`)
  }
  for (let v = 2001; v <= 2008; v++) rows.push(`${at(20 + (v % 5))},${v},transaction,300,${tx++}`)
  rows.push(`${at(25)},2001,transaction,301,${tx++}`, `${at(25)},2002,transaction,301,${tx++}`)
  rows.push(`${at(30)},1,view,100,`, `${at(30, 1)},1,transaction,100,${tx++}`)
  rows.push(`${at(40)},1,view,500,`, `${at(40, 2)},1,addtocart,500,`)
  rows.push(`${at(41)},2,view,600,`, `${at(42)},2,view,600,`, `${at(43)},2,view,600,`)
  rows.push('not-a-time,3,view,700,')
  return rows.join('\n') + '\n'
}

const quiet = (): Writable => new Writable({ write: (_chunk, _encoding, done) => done() })

async function recommend(visitors: string[], k: number, withItems = true): Promise<{ code: number; lines: { visitorid: string; items: string[] }[]; stderr: string }> {
  writeFileSync(files.visitors, visitors.join('\n') + '\n')
  const out = join(dir, `out-${k}-${visitors.length}.jsonl`)
  let stderr = ''
  const io = {
    stdout: quiet(),
    stderr: new Writable({
      write: (chunk: Buffer, _encoding, done) => {
        stderr += chunk.toString()
        done()
      },
    }),
    env: {},
  }
  const args = ['recommend', '--events', files.events, '--visitors', files.visitors, '--k', String(k), '--out', out, ...(withItems ? ['--items', files.items] : [])]
  const code = await main(args, io)
  const lines = code === 0 ? readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { visitorid: string; items: string[] }) : []
  return { code, lines, stderr }
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'musubi-recommend-'))
  files = { events: join(dir, 'train.csv'), items: join(dir, 'items.csv'), visitors: join(dir, 'visitors.txt') }
  writeFileSync(files.events, eventsCsv())
  writeFileSync(files.items, 'itemid,categoryid\n100,7\n200,7\n300,9\n301,9\n500,7\n600,8\n')
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('musubi recommend', () => {
  it('runs as a user runs it: exit 0, progress on stderr, one JSON line per visitor', () => {
    writeFileSync(files.visitors, '1\n2\n9\n')
    const out = join(dir, 'cli.jsonl')
    const run = spawnSync(process.execPath, ['bin/musubi.js', 'recommend', '--events', files.events, '--items', files.items, '--visitors', files.visitors, '--k', '3', '--out', out], {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 60_000,
    })
    expect(run.status, run.stderr).toBe(0)
    expect(run.stdout).toBe('')
    expect(run.stderr).toMatch(/^recommend: 3 visitors \(2 with history\) written to /m)
    const lines = readFileSync(out, 'utf8').trim().split('\n')
    expect(lines).toHaveLength(3)
    expect(JSON.parse(lines[0]!)).toEqual({ visitorid: '1', items: expect.any(Array) })
  })

  it('writes ids as strings, at most k, in the order of the visitors file, best first', async () => {
    const { code, lines } = await recommend(['2', '1', '9'], 2)
    expect(code).toBe(0)
    expect(lines.map((l) => l.visitorid)).toEqual(['2', '1', '9'])
    for (const line of lines) {
      expect(line.items.length).toBeLessThanOrEqual(2)
      expect(line.items.every((item) => typeof item === 'string')).toBe(true)
      expect(new Set(line.items).size).toBe(line.items.length)
    }
    expect(lines[0]!.items[0]).toBe('600')
    expect(lines[1]!.items[0]).toBe('500')
  })

  it('suggests what goes with a purchase, and not the purchase again', async () => {
    const { lines } = await recommend(['1'], 10)
    expect(lines[0]!.items).toContain('200')
    expect(lines[0]!.items).not.toContain('100')
  })

  it('gives visitors without history what sells, most sold (lately) first', async () => {
    const { lines } = await recommend(['9', 'unknown-visitor'], 3)
    expect(lines[0]!.items).toEqual(['300', '100', '200'])
    expect(lines[1]!.items).toEqual(lines[0]!.items)
  })

  it('works without the items file, and skips malformed rows', async () => {
    const { code, lines, stderr } = await recommend(['1', '2'], 5, false)
    expect(code).toBe(0)
    expect(lines).toHaveLength(2)
    expect(stderr).toMatch(/\(1 skipped\)/)
  })

  it("reads categories from RetailRocket's item_properties layout too", async () => {
    const properties = join(dir, 'item_properties.csv')
    writeFileSync(properties, 'timestamp,itemid,property,value\n1,500,categoryid,7\n1,500,790,n1.0\n1,600,categoryid,3\n2,600,categoryid,8\n')
    expect(await readItemCategories(properties)).toEqual(new Map([['500', '7'], ['600', '8']]))
  })

  it('refuses missing arguments and a bad k with exit 64', async () => {
    const io = { stdout: quiet(), stderr: quiet(), env: {} }
    expect(await main(['recommend', '--events', files.events], io)).toBe(64)
    expect(await main(['recommend', '--events', files.events, '--visitors', files.visitors, '--out', join(dir, 'x'), '--k', '0'], io)).toBe(64)
  })

  it('names the file and the column when the header is not the RetailRocket one', async () => {
    const bad = join(dir, 'bad.csv')
    writeFileSync(bad, 'time,visitor,event,item\n1,1,view,1\n')
    let stderr = ''
    const io = { stdout: quiet(), stderr: new Writable({ write: (c: Buffer, _e, d) => ((stderr += c.toString()), d()) }), env: {} }
    expect(await main(['recommend', '--events', bad, '--visitors', files.visitors, '--out', join(dir, 'y')], io)).toBe(1)
    expect(stderr).toContain('has no "timestamp" column')
  })
})
