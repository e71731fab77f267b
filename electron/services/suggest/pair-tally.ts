// Bought-together increments counted in memory, for a rebuild of item_pairs from millions of
// purchases (a first sync at 1M members: 4M increments over 1.4M pairs without direction, which
// item_pairs stores both ways: drainBothWays). Written to SQLite one increment per row, staged
// and then grouped, they took 17 s of a 34 s rebuild (measured at 1M/10M); counted here they are
// written once per pair.
//
// A pair of item numbers is one double (a * 2^26 + b, exact), and the counts live in typed arrays
// of a fixed size rather than in millions of small objects: new increments fill a buffer, which
// is sorted and merged into the sorted distinct keys in place when it is full. Memory stays at
// 12 bytes per pair of `capacity` (it grows only when one fold would not fit).

/** Item numbers must stay below this for a pair to pack into one double. */
export const MAX_ITEM = 2 ** 26

export class PairTally {
  private readonly buffer: Float64Array
  private readonly runCounts: Uint32Array
  private filled = 0
  private keys: Float64Array
  private counts: Uint32Array
  private distinct = 0

  /** `capacity`: different pairs held without growing; `bufferSize`: increments held before a fold. */
  constructor(capacity = 1_000_000, bufferSize = 1 << 18) {
    this.buffer = new Float64Array(bufferSize)
    this.runCounts = new Uint32Array(bufferSize)
    this.keys = new Float64Array(capacity)
    this.counts = new Uint32Array(capacity)
  }

  /** One increment of the pair (a, b): item numbers, each in 1..MAX_ITEM-1. */
  add(a: number, b: number): void {
    if (!(Number.isInteger(a) && Number.isInteger(b) && a > 0 && a < MAX_ITEM && b > 0 && b < MAX_ITEM)) throw new RangeError(`item numbers out of range for a pair: ${a}, ${b}`)
    if (this.filled === this.buffer.length) this.fold()
    this.buffer[this.filled++] = a * MAX_ITEM + b
  }

  /** At least how many different pairs are held (counted ones, and increments not yet folded in). */
  get held(): number {
    return this.distinct + this.filled
  }

  /** The pairs in (a, b) order with their counts; the tally is empty afterwards. */
  *drain(): Generator<[a: number, b: number, n: number]> {
    this.fold()
    const n = this.distinct
    this.distinct = 0
    for (let i = 0; i < n; i++) {
      const key = this.keys[i]!
      const a = Math.floor(key / MAX_ITEM)
      yield [a, key - a * MAX_ITEM, this.counts[i]!]
    }
  }

  /**
   * For a tally of pairs without direction, each added once as (low, high) with low < high:
   * every pair in both directions, (a, b) and (b, a) with the same count, in (a, b) order. The
   * tally is empty afterwards.
   */
  *drainBothWays(): Generator<[a: number, b: number, n: number]> {
    this.fold()
    const n = this.distinct
    this.distinct = 0
    const { keys, counts } = this
    const both = new Float64Array(2 * n)
    for (let i = 0; i < n; i++) {
      const key = keys[i]!
      const a = Math.floor(key / MAX_ITEM)
      const b = key - a * MAX_ITEM
      if (a >= b) throw new RangeError(`a pair without direction must be added as (low, high): ${a}, ${b}`)
      both[2 * i] = key
      both[2 * i + 1] = b * MAX_ITEM + a
    }
    both.sort()
    for (const key of both) {
      const a = Math.floor(key / MAX_ITEM)
      const b = key - a * MAX_ITEM
      // The count is the one of (low, high): found by bisection in the sorted keys.
      const stored = a < b ? key : b * MAX_ITEM + a
      let low = 0
      let high = n
      while (low < high) {
        const mid = (low + high) >> 1
        if (keys[mid]! < stored) low = mid + 1
        else high = mid
      }
      yield [a, b, counts[low]!]
    }
  }

  /** Sorts the buffer, counts its runs, and merges them into the counted keys from the back. */
  private fold(): void {
    if (this.filled === 0) return
    const run = this.buffer.subarray(0, this.filled).sort()
    const runCounts = this.runCounts
    let m = 0
    for (let j = 0; j < run.length; j++) {
      if (m > 0 && run[m - 1] === run[j]) runCounts[m - 1] = runCounts[m - 1]! + 1
      else {
        run[m] = run[j]!
        runCounts[m++] = 1
      }
    }
    this.filled = 0
    if (this.distinct + m > this.keys.length) this.grow(this.distinct + m)
    const { keys, counts } = this
    // Writing from the end never overtakes reading (w >= i); pairs found in both take one slot,
    // which leaves a gap that the copy at the end closes.
    let i = this.distinct - 1
    let j = m - 1
    let w = this.distinct + m - 1
    while (j >= 0) {
      if (i >= 0 && keys[i]! > run[j]!) {
        keys[w] = keys[i]!
        counts[w--] = counts[i--]!
      } else if (i >= 0 && keys[i] === run[j]) {
        keys[w] = keys[i]!
        counts[w--] = counts[i--]! + runCounts[j--]!
      } else {
        keys[w] = run[j]!
        counts[w--] = runCounts[j--]!
      }
    }
    const end = this.distinct + m
    const gap = w - i
    if (gap > 0) {
      keys.copyWithin(i + 1, w + 1, end)
      counts.copyWithin(i + 1, w + 1, end)
    }
    this.distinct = end - gap
  }

  private grow(atLeast: number): void {
    const size = Math.max(atLeast, Math.ceil(this.keys.length * 1.5))
    const keys = new Float64Array(size)
    const counts = new Uint32Array(size)
    keys.set(this.keys.subarray(0, this.distinct))
    counts.set(this.counts.subarray(0, this.distinct))
    this.keys = keys
    this.counts = counts
  }
}
