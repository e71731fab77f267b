// A synthetic shop for the offline evaluation, with the structure real shops have and nothing
// tuned to the engine: a long tail of popularity, customers loyal to a few categories, browsing
// that mostly ends without an order, carts left and come back to, accessories bought with or
// after the main item, consumables bought again on each customer's own cycle, impulse buys of
// what everyone buys, and stray views.
import { prng } from '../support/random.ts'
import type { EvalEvent } from './split.ts'

const DAY_MS = 86_400_000

export type SyntheticOptions = { seed?: number; customers?: number; items?: number; categories?: number; days?: number }

/** Picks an index by weight from a cumulative table. */
function pickCumulative(cumulative: Float64Array, u: number): number {
  const target = u * cumulative[cumulative.length - 1]!
  let low = 0
  let high = cumulative.length - 1
  while (low < high) {
    const mid = (low + high) >> 1
    if (cumulative[mid]! < target) low = mid + 1
    else high = mid
  }
  return low
}

function cumulativeOf(weights: readonly number[]): Float64Array {
  const out = new Float64Array(weights.length)
  let sum = 0
  weights.forEach((w, i) => (out[i] = sum += w))
  return out
}

export type SyntheticShop = { events: EvalEvent[]; categoryOf: Map<string, string> }

export function syntheticShop(options: SyntheticOptions = {}): SyntheticShop {
  const rand = prng(options.seed ?? 7)
  const customerCount = options.customers ?? 20_000
  const itemCount = options.items ?? 4000
  const categoryCount = options.categories ?? 40
  const days = options.days ?? 180
  const startMs = Date.UTC(2026, 0, 1)
  const chance = (p: number): boolean => rand() < p
  const int = (n: number): number => Math.floor(rand() * n)

  // Categories: a Zipf-like share of the traffic; a quarter are consumables.
  const categoryWeight = Array.from({ length: categoryCount }, (_, c) => 1 / Math.pow(c + 1, 0.8))
  const categoryCumulative = cumulativeOf(categoryWeight)
  const consumableCategory = Array.from({ length: categoryCount }, (_, c) => c % 4 === 1)
  // Items: each in one category, with a popularity drawn from a long tail.
  const itemCategory = Array.from({ length: itemCount }, () => pickCumulative(categoryCumulative, rand()))
  const itemWeight = Array.from({ length: itemCount }, () => 1 / Math.pow(1 + int(itemCount), 1.1))
  const itemsOf: number[][] = Array.from({ length: categoryCount }, () => [])
  itemCategory.forEach((c, i) => itemsOf[c]!.push(i))
  const itemsCumulative = itemsOf.map((items) => cumulativeOf(items.map((i) => itemWeight[i]!)))
  const globalCumulative = cumulativeOf(itemWeight)
  // Accessories: each category goes with two others, each item with two items of those.
  const relatedCategories = Array.from({ length: categoryCount }, (_, c) => [(c + 1 + int(categoryCount - 1)) % categoryCount, (c + 7) % categoryCount])
  const popularIn = (c: number): number => {
    const items = itemsOf[c]!
    return items.length === 0 ? int(itemCount) : items[pickCumulative(itemsCumulative[c]!, rand())]!
  }
  const accessories = Array.from({ length: itemCount }, (_, i) => relatedCategories[itemCategory[i]!]!.map((c) => popularIn(c)))

  const events: EvalEvent[] = []
  let transactions = 0
  for (let v = 0; v < customerCount; v++) {
    const visitor = String(100_000 + v * 7 + int(7))
    const activity = Math.min(40, Math.pow(1 - rand(), -1 / 1.4))
    const preferred = [pickCumulative(categoryCumulative, rand()), pickCumulative(categoryCumulative, rand()), pickCumulative(categoryCumulative, rand())]
    const cycles = new Map<number, { cycleMs: number; last: number }>()
    const recentBuys: { item: number; at: number }[] = []
    const abandoned: { item: number; at: number }[] = []
    let t = startMs + rand() * days * DAY_MS * 0.5
    const endMs = startMs + days * DAY_MS
    const view = (item: number): void => {
      events.push({ atMs: Math.round(t), visitor, type: 'view', item: String(item) })
      t += (20 + int(200)) * 1000
    }
    const cart = (item: number): void => {
      events.push({ atMs: Math.round(t), visitor, type: 'cart', item: String(item) })
      t += (10 + int(60)) * 1000
    }
    const buy = (items: number[]): void => {
      const transaction = String(++transactions)
      for (const item of items) {
        events.push({ atMs: Math.round(t), visitor, type: 'purchase', item: String(item), transaction })
        recentBuys.push({ item, at: t })
        if (consumableCategory[itemCategory[item]!] && !cycles.has(item)) cycles.set(item, { cycleMs: (20 + int(70)) * DAY_MS, last: t })
        else if (cycles.has(item)) cycles.get(item)!.last = t
      }
      t += 60_000
    }
    for (;;) {
      t += (-Math.log(1 - rand()) * 30 * DAY_MS) / activity
      if (t >= endMs) break
      const due = [...cycles].find(([, c]) => t - c.last > c.cycleMs * (0.85 + rand() * 0.3))
      const follow = recentBuys.filter((b) => t - b.at < 30 * DAY_MS)
      const back = abandoned.filter((a) => t - a.at < 21 * DAY_MS)
      if (due && chance(0.7)) {
        // The usual tea again: straight to the product.
        if (chance(0.5)) view(due[0])
        cart(due[0])
        buy([due[0]])
      } else if (back.length > 0 && chance(0.35)) {
        const item = back[int(back.length)]!.item
        abandoned.splice(abandoned.findIndex((a) => a.item === item), 1)
        view(item)
        if (chance(0.6)) {
          cart(item)
          buy([item])
        }
      } else if (follow.length > 0 && chance(0.2)) {
        // The socks for last week's shoes.
        const accessory = accessories[follow[int(follow.length)]!.item]![int(2)]!
        view(accessory)
        if (chance(0.5)) {
          cart(accessory)
          buy([accessory])
        }
      } else if (chance(0.08)) {
        buy([events.length % 3 === 0 ? popularIn(int(categoryCount)) : pickCumulative(globalCumulative, rand())])
      } else {
        const category = chance(0.8) ? preferred[int(preferred.length)]! : pickCumulative(categoryCumulative, rand())
        const viewed: number[] = []
        const n = 1 + Math.floor(-Math.log(1 - rand()) * 3)
        for (let i = 0; i < n; i++) {
          const item = chance(0.1) ? int(itemCount) : popularIn(category)
          view(item)
          viewed.push(item)
        }
        if (chance(0.3)) {
          const item = viewed[int(viewed.length)]!
          cart(item)
          if (chance(0.5)) buy(chance(0.3) ? [item, accessories[item]![int(2)]!] : [item])
          else abandoned.push({ item, at: t })
        }
      }
    }
  }
  const categoryOf = new Map<string, string>()
  itemCategory.forEach((c, i) => categoryOf.set(String(i), String(1000 + c)))
  return { events: events.sort((a, b) => a.atMs - b.atMs), categoryOf }
}
