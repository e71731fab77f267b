// The two baselines the engine must beat, from the same training events:
// - popularity: the items bought most often, the same list for everyone;
// - item-to-item co-occurrence: items counted as together when one visitor interacted with both
//   (any event), scored by the sum of their counts with the visitor's own items (the 50 most
//   recent) over each item's 200 most frequent partners; the visitor's own items are candidates
//   too; filled up with popularity.
import type { EvalEvent } from './split.ts'

const HISTORY_CAP = 50
const PARTNERS = 200

export function popularityBaseline(train: readonly EvalEvent[], k: number): string[] {
  const counts = new Map<string, number>()
  for (const e of train) if (e.type === 'purchase') counts.set(e.item, (counts.get(e.item) ?? 0) + 1)
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, k).map(([item]) => item)
}

/** The visitor's distinct items, most recent first, at most HISTORY_CAP. */
function recentItems(events: readonly EvalEvent[]): string[] {
  const seen = new Set<string>()
  for (let i = events.length - 1; i >= 0 && seen.size < HISTORY_CAP; i--) seen.add(events[i]!.item)
  return [...seen]
}

export function cooccurrenceBaseline(train: readonly EvalEvent[], visitors: Iterable<string>, k: number): Map<string, string[]> {
  const byVisitor = new Map<string, EvalEvent[]>()
  for (const e of train) {
    const list = byVisitor.get(e.visitor)
    if (list) list.push(e)
    else byVisitor.set(e.visitor, [e])
  }
  const co = new Map<string, Map<string, number>>()
  for (const events of byVisitor.values()) {
    const items = recentItems(events)
    for (const a of items) {
      let row = co.get(a)
      if (!row) co.set(a, (row = new Map()))
      for (const b of items) if (a !== b) row.set(b, (row.get(b) ?? 0) + 1)
    }
  }
  const partners = new Map<string, [string, number][]>()
  for (const [item, row] of co) partners.set(item, [...row].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, PARTNERS))
  const popular = popularityBaseline(train, k)
  const out = new Map<string, string[]>()
  for (const visitor of visitors) {
    const scores = new Map<string, number>()
    for (const item of recentItems(byVisitor.get(visitor) ?? [])) {
      for (const [other, n] of partners.get(item) ?? []) scores.set(other, (scores.get(other) ?? 0) + n)
    }
    const ranked = [...scores].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, k).map(([item]) => item)
    for (const item of popular) if (ranked.length < k && !ranked.includes(item)) ranked.push(item)
    out.set(visitor, ranked)
  }
  return out
}
