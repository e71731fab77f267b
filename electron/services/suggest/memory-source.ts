// A SuggestSource over purchases held in memory, for `musubi recommend`: the same counting
// (pairs.ts) and the same popularity (popularity.ts) as the register's cache, built in one pass.
// Offline there is no store: "selling here" is selling anywhere.
import { MemberBasket } from './pairs.ts'
import { dayNumber, SalesTally } from './popularity.ts'
import type { Neighbour, PopularItem, RepeatStats, SuggestSource } from './types.ts'

export type MemoryPurchase = { member: string; sku: string; atMs: number; qty: number }

export function buildMemorySource(purchases: readonly MemoryPurchase[], categories: ReadonlyMap<string, string>, nowMs: number): SuggestSource {
  const byMember = [...purchases].sort((a, b) => (a.member < b.member ? -1 : a.member > b.member ? 1 : a.atMs - b.atMs))
  const buyers = new Map<string, number>()
  const repeat = new Map<string, { repeaters: number; gapDays: number; gaps: number }>()
  const pairs = new Map<string, Map<string, number>>()
  const bump = (a: string, b: string): void => {
    let row = pairs.get(a)
    if (!row) {
      row = new Map()
      pairs.set(a, row)
    }
    row.set(b, (row.get(b) ?? 0) + 1)
  }
  const tally = new SalesTally(nowMs)
  let basket = new MemberBasket()
  let member: string | null = null
  for (const p of byMember) {
    if (p.member !== member) {
      member = p.member
      basket = new MemberBasket()
    }
    const { newBuyer, newRepeater, gapMs, partners } = basket.add(p.sku, p.atMs)
    if (newBuyer) buyers.set(p.sku, (buyers.get(p.sku) ?? 0) + 1)
    if (gapMs !== null) {
      let r = repeat.get(p.sku)
      if (!r) repeat.set(p.sku, (r = { repeaters: 0, gapDays: 0, gaps: 0 }))
      if (newRepeater) r.repeaters++
      r.gapDays += gapMs / 86_400_000
      r.gaps++
    }
    for (const other of partners) {
      bump(p.sku, other)
      bump(other, p.sku)
    }
    tally.add(p.sku, dayNumber(p.atMs), p.qty)
  }

  const popular: PopularItem[] = tally.ranked()
  const popularByCategory = new Map<string, PopularItem[]>()
  for (const item of popular) {
    const category = categories.get(item.sku)
    if (category === undefined) continue
    const list = popularByCategory.get(category)
    if (list) list.push(item)
    else popularByCategory.set(category, [item])
  }
  const neighbourLists = new Map<string, Neighbour[]>()

  return {
    neighbours(sku, limit) {
      let list = neighbourLists.get(sku)
      if (!list) {
        list = [...(pairs.get(sku) ?? [])]
          .map(([other, together]) => ({ sku: other, together, buyers: buyers.get(other) ?? 0 }))
          .sort((a, b) => b.together - a.together || (a.sku < b.sku ? -1 : 1))
        neighbourLists.set(sku, list)
      }
      return { buyers: buyers.get(sku) ?? 0, items: list.slice(0, limit) }
    },
    bestsellers: (limit) => popular.slice(0, limit),
    bestsellersIn: (category, limit) => (popularByCategory.get(category) ?? []).slice(0, limit),
    repeatStatsOf(skus) {
      const found = new Map<string, RepeatStats>()
      for (const sku of skus) {
        const n = buyers.get(sku)
        if (n === undefined) continue
        const r = repeat.get(sku)
        found.set(sku, { buyers: n, repeaters: r?.repeaters ?? 0, cycleDays: r && r.gaps > 0 ? r.gapDays / r.gaps : null })
      }
      return found
    },
    categoriesOf(skus) {
      const found = new Map<string, string>()
      for (const sku of skus) {
        const category = categories.get(sku)
        if (category !== undefined) found.set(sku, category)
      }
      return found
    },
  }
}
