// "Bought together", counted per member: two items are together for a member when they bought
// both within 30 days of each other (the same order included). An item pair's weight is the number
// of members for whom it is together, and an item's `buyers` the number of members who bought it,
// so a member who buys the same two things every month counts once, like everyone else. Alongside,
// how items are bought again: the members who bought one on two days or more, and the gaps
// between one member's purchases of it.
// Both counts only grow, and a member's contribution does not depend on the order their purchases
// arrive in, so the cache can add purchases as the feed brings them, in any order.
import { SAME_OCCASION_MS, TOGETHER_WINDOW_MS } from './types.ts'

/** A purchase pairs with at most this many of the member's other items (the nearest in time). */
export const MAX_PARTNERS = 10

export type BasketIncrements = {
  newBuyer: boolean
  /** The member now bought it on two days (or more) for the first time. */
  newRepeater: boolean
  /** A purchase on another day than the member's others of it: the gap to the nearest one. */
  gapMs: number | null
  partners: string[]
}

/** One member's purchases already counted: sku → purchase times, ascending. */
export class MemberBasket {
  private readonly times = new Map<string, number[]>()

  /** Purchases that are already counted (they add nothing). */
  constructor(counted: Iterable<{ sku: string; atMs: number }> = []) {
    for (const p of counted) insertSorted(this.times, p.sku, p.atMs)
  }

  /**
   * Counts a new purchase: whether the member is a new buyer or repeat buyer of `sku`, and the
   * items that become together with it for this member (they were not together before).
   */
  add(sku: string, atMs: number): BasketIncrements {
    const own = this.times.get(sku)
    const near: { sku: string; gap: number }[] = []
    for (const [other, times] of this.times) {
      if (other === sku) continue
      const gap = nearestGap(times, atMs)
      if (gap <= TOGETHER_WINDOW_MS) near.push({ sku: other, gap })
    }
    if (near.length > MAX_PARTNERS) near.sort((a, b) => a.gap - b.gap || (a.sku < b.sku ? -1 : 1)).length = MAX_PARTNERS
    const partners: string[] = []
    for (const { sku: other } of near) {
      if (!own || !withinWindow(own, this.times.get(other)!)) partners.push(other)
    }
    let gapMs: number | null = null
    let newRepeater = false
    if (own) {
      const gap = nearestGap(own, atMs)
      if (gap >= SAME_OCCASION_MS) {
        gapMs = gap
        newRepeater = occasions(own) === 1
      }
    }
    insertSorted(this.times, sku, atMs)
    return { newBuyer: own === undefined, newRepeater, gapMs, partners }
  }
}

/** Buying occasions among ascending times (a day or more apart). */
function occasions(times: readonly number[]): number {
  let n = times.length > 0 ? 1 : 0
  for (let i = 1; i < times.length; i++) if (times[i]! - times[i - 1]! >= SAME_OCCASION_MS) n++
  return n
}

function insertSorted(map: Map<string, number[]>, sku: string, atMs: number): void {
  const times = map.get(sku)
  if (!times) {
    map.set(sku, [atMs])
    return
  }
  let i = times.length
  while (i > 0 && times[i - 1]! > atMs) i--
  times.splice(i, 0, atMs)
}

/** Distance from `t` to the nearest of the ascending `times`. */
function nearestGap(times: readonly number[], t: number): number {
  let low = 0
  let high = times.length
  while (low < high) {
    const mid = (low + high) >> 1
    if (times[mid]! < t) low = mid + 1
    else high = mid
  }
  const after = low < times.length ? times[low]! - t : Infinity
  const before = low > 0 ? t - times[low - 1]! : Infinity
  return Math.min(after, before)
}

/** True when some time of `a` and some time of `b` (both ascending) are within the window. */
function withinWindow(a: readonly number[], b: readonly number[]): boolean {
  let i = 0
  let j = 0
  while (i < a.length && j < b.length) {
    const d = a[i]! - b[j]!
    if (Math.abs(d) <= TOGETHER_WINDOW_MS) return true
    if (d < 0) i++
    else j++
  }
  return false
}
