// Seeded randomness addressed by (seed, stream, index): any record can be produced on its own,
// without generating the ones before it, which is what keeps random access to the feed O(page).

/** Keeps the sequences of different record kinds independent of each other. */
export const streams = {
  store: 1,
  style: 2,
  product: 3,
  inventory: 4,
  coupon: 5,
  member: 6,
  activity: 7,
  events: 8,
  sale: 9,
} as const

/** murmur3's finaliser: a bijection of 32-bit integers that mixes every bit. */
export function fmix32(h: number): number {
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

/** A well-mixed 32-bit hash of up to four 32-bit integers. */
export function hash32(a: number, b: number, c: number, d = 0): number {
  let h = fmix32((a + 0x9e3779b9) | 0)
  h = fmix32(((h ^ b) + 0x7f4a7c15) | 0)
  h = fmix32(((h ^ c) + 0x165667b1) | 0)
  return fmix32(((h ^ d) + 0x27d4eb2f) | 0)
}

/** A uniform number in [0, 1) from the same inputs as hash32. */
export function unit(a: number, b: number, c: number, d = 0): number {
  return hash32(a, b, c, d) / 4294967296
}

/** mulberry32: tiny and fast, and good enough for synthetic data. */
export class Rng {
  private state: number

  constructor(seed: number) {
    this.state = seed | 0
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0
    let t = this.state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n)
  }

  /** An integer in [min, max], both included. */
  between(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1))
  }

  chance(p: number): boolean {
    return this.next() < p
  }

  pick<T>(items: readonly T[]): T {
    return at(items, this.int(items.length), 'Rng.pick')
  }

  /** An index drawn with the given (not necessarily normalised) weights. */
  weighted(weights: readonly number[]): number {
    let sum = 0
    for (const w of weights) sum += w
    let r = this.next() * sum
    for (let i = 0; i < weights.length; i++) {
      r -= weights[i] ?? 0
      if (r < 0) return i
    }
    return weights.length - 1
  }

  /** 0, 1, 2, ... with P(k) ∝ (1 − p)^k · p, capped. */
  geometric(p: number, cap: number): number {
    let k = 0
    while (k < cap && !this.chance(p)) k++
    return k
  }

  /** Fisher–Yates on a copy. */
  shuffled<T>(items: readonly T[]): T[] {
    const copy = items.slice()
    for (let i = copy.length - 1; i > 0; i--) {
      const j = this.int(i + 1)
      const tmp = copy[i] as T
      copy[i] = copy[j] as T
      copy[j] = tmp
    }
    return copy
  }
}

export function rngFor(seed: number, stream: number, index: number, salt = 0): Rng {
  return new Rng(hash32(seed, stream, index, salt))
}

/** Indexing that states its invariant instead of widening every type to `T | undefined`. */
export function at<T>(items: ArrayLike<T>, index: number, where: string): T {
  const item = items[index]
  if (item === undefined) throw new Error(`${where}: index ${index} out of range (length ${items.length})`)
  return item
}
