// Offline suggestions from files in the RetailRocket layout, for evaluation (`musubi recommend`):
// the scoring core of the register over an in-memory source, with no store, stock or coupon.
//   events:   timestamp,visitorid,event,itemid,transactionid   (ms; view | addtocart | transaction)
//   items:    itemid,categoryid                                 (optional)
//   visitors: one visitor id a line
// Only the listed visitors' own events are kept, plus everyone's purchases (what "bought
// together" and "selling now" are made of), so a file of millions of views fits in memory.
import { createReadStream, createWriteStream } from 'node:fs'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { buildMemorySource, type MemoryPurchase } from './memory-source.ts'
import { rankForMember } from './scoring.ts'
import type { HistoryEvent, SuggestSource } from './types.ts'

export type RecommendFiles = { events: string; items?: string | undefined; visitors: string; k: number; out: string }
export type RecommendSummary = { rows: number; skipped: number; visitors: number; withHistory: number; purchases: number; seconds: number }

const eventTypes: Record<string, HistoryEvent['type']> = { view: 'view', addtocart: 'cart', transaction: 'purchase' }

async function* lines(path: string): AsyncGenerator<string> {
  const reader = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity })
  for await (const line of reader) yield line
}

/** Column positions by header name; throws naming the file and the missing column. */
function columns(header: string | undefined, path: string, wanted: readonly string[]): number[] {
  const names = (header ?? '').replace(/^\uFEFF/, '').split(',').map((s) => s.trim().toLowerCase())
  return wanted.map((name) => {
    const i = names.indexOf(name)
    if (i < 0) throw new Error(`${path}: the header has no "${name}" column (expected ${wanted.join(',')})`)
    return i
  })
}

export async function readVisitors(path: string): Promise<string[]> {
  const visitors: string[] = []
  for await (const line of lines(path)) {
    const id = line.trim()
    if (id !== '' && id.toLowerCase() !== 'visitorid') visitors.push(id)
  }
  return visitors
}

/**
 * Item categories from `itemid,categoryid`, or from RetailRocket's own item_properties layout
 * (`timestamp,itemid,property,value`: the latest `categoryid` property of each item).
 */
export async function readItemCategories(path: string): Promise<Map<string, string>> {
  const categories = new Map<string, string>()
  const seenAt = new Map<string, number>()
  let read: ((fields: string[]) => void) | null = null
  for await (const line of lines(path)) {
    if (!read) {
      const names = line.replace(/^\uFEFF/, '').split(',').map((n) => n.trim().toLowerCase())
      if (names.includes('property') && names.includes('value')) {
        const [item, property, value] = columns(line, path, ['itemid', 'property', 'value'])
        const time = names.indexOf('timestamp')
        read = (fields) => {
          if (fields[property!]?.trim() !== 'categoryid') return
          const id = fields[item!]?.trim()
          const category = fields[value!]?.trim()
          const at = time >= 0 ? Number(fields[time]) : 0
          if (!id || !category || at < (seenAt.get(id) ?? -Infinity)) return
          seenAt.set(id, at)
          categories.set(id, category)
        }
      } else {
        const [item, category] = columns(line, path, ['itemid', 'categoryid'])
        read = (fields) => {
          const id = fields[item!]?.trim()
          const value = fields[category!]?.trim()
          if (id && value) categories.set(id, value)
        }
      }
      continue
    }
    read(line.split(','))
  }
  return categories
}

export type LoadedEvents = {
  histories: Map<string, HistoryEvent[]>
  purchases: MemoryPurchase[]
  nowMs: number
  rows: number
  skipped: number
}

/** Reads the events file: the listed visitors' histories and everyone's purchases. */
export async function readEvents(path: string, visitors: ReadonlySet<string>, progress: (line: string) => void): Promise<LoadedEvents> {
  const histories = new Map<string, HistoryEvent[]>()
  const purchases: MemoryPurchase[] = []
  // One string per item id, however many rows name it.
  const interned = new Map<string, string>()
  const intern = (s: string): string => {
    const found = interned.get(s)
    if (found !== undefined) return found
    interned.set(s, s)
    return s
  }
  let cols: number[] | null = null
  let rows = 0
  let skipped = 0
  let nowMs = -Infinity
  for await (const line of lines(path)) {
    if (!cols) {
      cols = columns(line, path, ['timestamp', 'visitorid', 'event', 'itemid'])
      continue
    }
    if (line.length === 0) continue
    rows++
    if (rows % 500_000 === 0) progress(`recommend: read ${rows.toLocaleString('en-US')} events`)
    const fields = line.split(',')
    const atMs = Number(fields[cols[0]!])
    const visitor = fields[cols[1]!]?.trim()
    const type = eventTypes[fields[cols[2]!]?.trim() ?? '']
    const item = fields[cols[3]!]?.trim()
    if (!Number.isFinite(atMs) || !visitor || !type || !item) {
      skipped++
      continue
    }
    if (atMs > nowMs) nowMs = atMs
    const sku = intern(item)
    if (type === 'purchase') purchases.push({ member: visitor, sku, atMs, qty: 1 })
    if (visitors.has(visitor)) {
      const history = histories.get(visitor)
      if (history) history.push({ type, sku, atMs })
      else histories.set(visitor, [{ type, sku, atMs }])
    }
  }
  return { histories, purchases, nowMs: Number.isFinite(nowMs) ? nowMs + 1 : Date.now(), rows, skipped }
}

/** The k best skus for a visitor, best first; a visitor without history gets what sells. */
export function recommendFor(history: readonly HistoryEvent[], source: SuggestSource, nowMs: number, k: number): string[] {
  return rankForMember({ history, nowMs, limit: k }, source).ranked.map((r) => r.sku)
}

export async function recommendFromFiles(files: RecommendFiles, progress: (line: string) => void): Promise<RecommendSummary> {
  const started = performance.now()
  const visitors = await readVisitors(files.visitors)
  const wanted = new Set(visitors)
  progress(`recommend: ${wanted.size.toLocaleString('en-US')} visitors to suggest for`)
  const categories = files.items ? await readItemCategories(files.items) : new Map<string, string>()
  if (files.items) progress(`recommend: ${categories.size.toLocaleString('en-US')} item categories`)
  const loaded = await readEvents(files.events, wanted, progress)
  progress(
    `recommend: ${loaded.rows.toLocaleString('en-US')} events (${loaded.skipped} skipped), ${loaded.purchases.length.toLocaleString('en-US')} purchases; counting items bought together`,
  )
  const source = buildMemorySource(loaded.purchases, categories, loaded.nowMs)
  const out = createWriteStream(files.out, { encoding: 'utf8' })
  let withoutHistory: string | null = null
  let done = 0
  for (const visitor of visitors) {
    const history = loaded.histories.get(visitor)
    let items: string[]
    if (history) items = recommendFor(history, source, loaded.nowMs, files.k)
    else {
      withoutHistory ??= JSON.stringify(recommendFor([], source, loaded.nowMs, files.k))
      items = JSON.parse(withoutHistory) as string[]
    }
    if (!out.write(JSON.stringify({ visitorid: visitor, items }) + '\n')) await once(out, 'drain')
    if (++done % 100_000 === 0) progress(`recommend: ${done.toLocaleString('en-US')} / ${visitors.length.toLocaleString('en-US')} visitors`)
  }
  out.end()
  await once(out, 'finish')
  return {
    rows: loaded.rows,
    skipped: loaded.skipped,
    visitors: visitors.length,
    withHistory: visitors.filter((v) => loaded.histories.has(v)).length,
    purchases: loaded.purchases.length,
    seconds: (performance.now() - started) / 1000,
  }
}
