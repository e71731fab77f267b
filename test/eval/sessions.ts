// A third dataset for the offline evaluation, shaped like RetailRocket's public e-commerce log and
// written after the engine was tuned (nothing here was adjusted to its results): anonymous
// visitors in short sessions, most of which only view; a few add to the cart and fewer buy, in
// the same session or on a later return; interest mostly within a category the visitor keeps
// coming back to; a long tail of items; and complements bought on a later visit.
import type { EvalEvent } from './split.ts'

const MINUTE_MS = 60_000
const DAY_MS = 86_400_000

export type SessionShopOptions = { seed?: number; visitors?: number; items?: number; categories?: number; days?: number }

function xorshift(seed: number): () => number {
  let x = seed >>> 0 || 1
  return () => {
    x ^= x << 13
    x >>>= 0
    x ^= x >>> 17
    x ^= x << 5
    x >>>= 0
    return x / 4294967296
  }
}

/** An index in [0, n) with probability ∝ 1 / (i + 1)^s (a Zipf-like long tail). */
function zipf(n: number, s: number): (u: number) => number {
  const cumulative = new Float64Array(n)
  let sum = 0
  for (let i = 0; i < n; i++) cumulative[i] = sum += 1 / Math.pow(i + 1, s)
  return (u) => {
    const target = u * sum
    let low = 0
    let high = n - 1
    while (low < high) {
      const mid = (low + high) >> 1
      if (cumulative[mid]! < target) low = mid + 1
      else high = mid
    }
    return low
  }
}

export function sessionShop(options: SessionShopOptions = {}): { events: EvalEvent[]; categoryOf: Map<string, string> } {
  const rand = xorshift(options.seed ?? 20151013)
  const visitorCount = options.visitors ?? 40_000
  const itemCount = options.items ?? 12_000
  const categoryCount = options.categories ?? 250
  const days = options.days ?? 120
  const start = Date.parse('2015-05-03T00:00:00Z')

  // Items belong to categories of very different sizes; within one, popularity has a long tail.
  const pickCategory = zipf(categoryCount, 0.9)
  const itemsOf: number[][] = Array.from({ length: categoryCount }, () => [])
  const categoryOf = new Map<string, string>()
  for (let item = 0; item < itemCount; item++) {
    const category = item < categoryCount ? item : pickCategory(rand())
    itemsOf[category]!.push(item)
    categoryOf.set(String(100_000 + item), String(1000 + category))
  }
  const pickIn = itemsOf.map((items) => zipf(items.length, 1.1))
  // Each item has a complement in another category (a case for a phone, socks for shoes).
  const complementOf = Array.from({ length: itemCount }, () => Math.floor(rand() * itemCount))

  const events: EvalEvent[] = []
  const push = (atMs: number, visitor: string, type: EvalEvent['type'], item: number, transaction?: string) =>
    events.push({ atMs, visitor, type, item: String(100_000 + item), ...(transaction ? { transaction } : {}) })
  let transactions = 0

  for (let v = 0; v < visitorCount; v++) {
    const visitor = String(v * 7 + 3)
    const favourite = pickCategory(rand())
    const second = pickCategory(rand())
    const sessions = 1 + Math.floor(-Math.log(1 - rand()) * 1.4)
    let at = start + Math.floor(rand() * days * DAY_MS * 0.9)
    let leftInCart: number[] = []
    let owedComplement: number | null = null
    for (let s = 0; s < sessions; s++) {
      const u = rand()
      const category = u < 0.55 ? favourite : u < 0.75 ? second : pickCategory(rand())
      const pool = itemsOf[category]!
      const viewed: number[] = []
      const views = 1 + Math.floor(-Math.log(1 - rand()) * 3)
      for (let i = 0; i < views; i++) {
        // Back to something seen this session, or a new item of the category.
        const item = viewed.length > 0 && rand() < 0.3 ? viewed[Math.floor(rand() * viewed.length)]! : pool[pickIn[category]!(rand())]!
        viewed.push(item)
        at += Math.floor(20_000 + rand() * 3 * MINUTE_MS)
        push(at, visitor, 'view', item)
      }
      if (owedComplement !== null && rand() < 0.35) {
        at += Math.floor(rand() * 2 * MINUTE_MS)
        push(at, visitor, 'view', owedComplement)
        viewed.push(owedComplement)
      }
      // Some sessions cart something they viewed; some of those buy it now, some on a return.
      const cart: number[] = []
      if (rand() < 0.12) {
        cart.push(viewed[Math.floor(rand() * viewed.length)]!)
        if (rand() < 0.25) cart.push(viewed[Math.floor(rand() * viewed.length)]!)
        for (const item of cart) {
          at += Math.floor(rand() * 2 * MINUTE_MS)
          push(at, visitor, 'cart', item)
        }
      }
      const buyNow = cart.length > 0 && rand() < 0.45
      const buyLeft = leftInCart.length > 0 && rand() < 0.3
      if (buyNow || buyLeft) {
        const basket = [...new Set([...(buyNow ? cart : []), ...(buyLeft ? leftInCart : [])])]
        const transaction = String(++transactions)
        at += Math.floor(MINUTE_MS + rand() * 5 * MINUTE_MS)
        for (const item of basket) push(at, visitor, 'purchase', item, transaction)
        owedComplement = complementOf[basket[0]!]!
        leftInCart = buyNow ? leftInCart : []
      } else if (cart.length > 0) leftInCart = cart
      // The next visit: hours to weeks later.
      at += Math.floor((0.1 + -Math.log(1 - rand()) * 6) * DAY_MS)
    }
  }
  // The log covers the window only (a visit that would fall after it is not in the file).
  const end = start + days * DAY_MS
  const inWindow = events.filter((e) => e.atMs < end)
  inWindow.sort((a, b) => a.atMs - b.atMs)
  return { events: inWindow, categoryOf }
}
