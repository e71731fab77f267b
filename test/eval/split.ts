// The evaluation protocols, written in the RetailRocket layout that `musubi recommend` reads:
// - last purchase: each customer's last purchase is held out, and the training data is everything
//   else that happened before it (their own later events are dropped too);
// - time split: everything before a cut is training data, and each customer seen before it who
//   buys after it is to be predicted their first purchase after it.
import { createWriteStream } from 'node:fs'
import { once } from 'node:events'

export type EvalEvent = { atMs: number; visitor: string; type: 'view' | 'cart' | 'purchase'; item: string; transaction?: string }

export type Split = {
  train: EvalEvent[]
  /** Visitor → the items of their held-out last purchase. */
  truth: Map<string, Set<string>>
}

/** Holds out each visitor's last purchase (the whole transaction) when they did anything before it. */
export function holdOutLastPurchase(events: readonly EvalEvent[]): Split {
  const last = new Map<string, { atMs: number; transaction: string | undefined }>()
  for (const e of events) {
    if (e.type !== 'purchase') continue
    const seen = last.get(e.visitor)
    if (!seen || e.atMs > seen.atMs || (e.atMs === seen.atMs && e.transaction !== seen.transaction && (e.transaction ?? '') > (seen.transaction ?? ''))) {
      last.set(e.visitor, { atMs: e.atMs, transaction: e.transaction })
    }
  }
  const truth = new Map<string, Set<string>>()
  const before = new Set<string>()
  const train: EvalEvent[] = []
  for (const e of events) {
    const cut = last.get(e.visitor)
    if (cut && e.atMs >= cut.atMs) {
      if (e.type === 'purchase' && e.atMs === cut.atMs && e.transaction === cut.transaction) {
        const items = truth.get(e.visitor) ?? new Set<string>()
        items.add(e.item)
        truth.set(e.visitor, items)
      }
      continue
    }
    if (cut) before.add(e.visitor)
    train.push(e)
  }
  for (const visitor of [...truth.keys()]) if (!before.has(visitor)) truth.delete(visitor)
  return { train, truth }
}

/** Trains on events before `fraction` of the time span; holds out each returning customer's first purchase after it. */
export function splitByTime(events: readonly EvalEvent[], fraction: number): Split {
  const first = events.reduce((m, e) => Math.min(m, e.atMs), Infinity)
  const last = events.reduce((m, e) => Math.max(m, e.atMs), -Infinity)
  const cut = first + (last - first) * fraction
  const train = events.filter((e) => e.atMs < cut)
  const seen = new Set(train.map((e) => e.visitor))
  const target = new Map<string, { atMs: number; transaction: string | undefined }>()
  for (const e of events) {
    if (e.atMs < cut || e.type !== 'purchase' || !seen.has(e.visitor)) continue
    const found = target.get(e.visitor)
    if (!found || e.atMs < found.atMs) target.set(e.visitor, { atMs: e.atMs, transaction: e.transaction })
  }
  const truth = new Map<string, Set<string>>()
  for (const e of events) {
    const t = target.get(e.visitor)
    if (!t || e.type !== 'purchase' || e.atMs !== t.atMs || e.transaction !== t.transaction) continue
    const items = truth.get(e.visitor) ?? new Set<string>()
    items.add(e.item)
    truth.set(e.visitor, items)
  }
  return { train, truth }
}

const eventNames = { view: 'view', cart: 'addtocart', purchase: 'transaction' } as const

async function writeLines(path: string, lines: Iterable<string>): Promise<void> {
  const out = createWriteStream(path, { encoding: 'utf8' })
  for (const line of lines) if (!out.write(line + '\n')) await once(out, 'drain')
  out.end()
  await once(out, 'finish')
}

export async function writeRetailRocket(files: { events: string; items: string; visitors: string }, split: Split, categoryOf: ReadonlyMap<string, string>): Promise<void> {
  await writeLines(files.events, [
    'timestamp,visitorid,event,itemid,transactionid',
    ...split.train.map((e) => `${e.atMs},${e.visitor},${eventNames[e.type]},${e.item},${e.transaction ?? ''}`),
  ])
  await writeLines(files.items, ['itemid,categoryid', ...[...categoryOf].map(([item, category]) => `${item},${category}`)])
  await writeLines(files.visitors, [...split.truth.keys()])
}
