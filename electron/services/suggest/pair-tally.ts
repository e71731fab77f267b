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
   *
   * The keys are sorted by (low, high): the pairs (a, b) with b > a are the run of keys whose low
   * is a, in order. Those with b < a are the keys (b, a), one in each of the runs of lower items:
   * a heap of the runs, by the high of each run's next key, gives them in order (memory: a few
   * numbers per item, where sorting both directions took 16 bytes a pair).
   */
  *drainBothWays(): Generator<[a: number, b: number, n: number]> {
    this.fold()
    const n = this.distinct
    this.distinct = 0
    const { keys, counts } = this
    const lowOf = (key: number): number => Math.floor(key / MAX_ITEM)
    let runs = 0
    for (let i = 0; i < n; i++) {
      const low = lowOf(keys[i]!)
      if (low >= keys[i]! - low * MAX_ITEM) throw new RangeError(`a pair without direction must be added as (low, high): ${low}, ${keys[i]! - low * MAX_ITEM}`)
      if (i === 0 || low !== lowOf(keys[i - 1]!)) runs++
    }
    // Run r: keys[start[r]..start[r + 1]), all with low `low[r]`; next[r]: its next key for the heap.
    const start = new Uint32Array(runs + 1)
    const low = new Uint32Array(runs)
    const next = new Uint32Array(runs)
    for (let i = 0, r = -1; i < n; i++) {
      const l = lowOf(keys[i]!)
      if (r < 0 || l !== low[r]) {
        low[++r] = l
        start[r] = next[r] = i
      }
    }
    start[runs] = n
    // A min-heap of runs by (high of the run's next key, low of the run), as one exact double.
    const heapKey = new Float64Array(runs)
    const heapRun = new Uint32Array(runs)
    let size = 0
    const highAt = (i: number): number => keys[i]! - lowOf(keys[i]!) * MAX_ITEM
    const siftDown = (from: number): void => {
      const key = heapKey[from]!
      const run = heapRun[from]!
      let i = from
      for (;;) {
        let child = 2 * i + 1
        if (child >= size) break
        if (child + 1 < size && heapKey[child + 1]! < heapKey[child]!) child++
        if (heapKey[child]! >= key) break
        heapKey[i] = heapKey[child]!
        heapRun[i] = heapRun[child]!
        i = child
      }
      heapKey[i] = key
      heapRun[i] = run
    }
    for (let r = 0; r < runs; r++) {
      heapKey[size] = highAt(start[r]!) * MAX_ITEM + low[r]!
      heapRun[size++] = r
    }
    for (let i = (size >> 1) - 1; i >= 0; i--) siftDown(i)
    let ownRun = 0
    while (size > 0 || ownRun < runs) {
      const fromHeap = size > 0 ? Math.floor(heapKey[0]! / MAX_ITEM) : Infinity
      const a = Math.min(fromHeap, ownRun < runs ? low[ownRun]! : Infinity)
      // (a, b) with b < a: the key (b, a) at the head of each run whose next high is a.
      while (size > 0 && Math.floor(heapKey[0]! / MAX_ITEM) === a) {
        const r = heapRun[0]!
        yield [a, low[r]!, counts[next[r]!]!]
        if (++next[r]! < start[r + 1]!) heapKey[0] = highAt(next[r]!) * MAX_ITEM + low[r]!
        else {
          heapKey[0] = heapKey[--size]!
          heapRun[0] = heapRun[size]!
        }
        siftDown(0)
      }
      // (a, b) with b > a: the run of a, in order.
      if (ownRun < runs && low[ownRun] === a) {
        for (let i = start[ownRun]!; i < start[ownRun + 1]!; i++) yield [a, highAt(i), counts[i]!]
        ownRun++
      }
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
