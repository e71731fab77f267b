// Fault injection for the reference Profile API server: which faults exist, their defaults, and a
// seeded PRNG so a run with the same seed draws the same faults in the same order.
import { prng } from '../random.ts'

export const faultKinds = ['drop', '500', '429', 'slow', 'store-then-drop'] as const
export type FaultKind = (typeof faultKinds)[number]

export type Faults = {
  /** 0..1: share of requests that get a fault instead of an answer. */
  failRate: number
  /** Which faults are drawn (uniformly). */
  kinds: FaultKind[]
  /** For 429: sent as `Retry-After: N`. */
  retryAfterSeconds: number
  /** For 'slow': wait this long before answering (past the client's timeout). */
  slowMs: number
  /** /v1/changes repeats some changes of the page and of the previous page (at-least-once delivery). */
  duplicateChanges: boolean
  /** Seed of the PRNG the faults (and the duplicates) are drawn from. */
  seed: number
}

export const defaultFaults: Faults = {
  failRate: 0,
  kinds: [...faultKinds],
  retryAfterSeconds: 1,
  slowMs: 10_000,
  duplicateChanges: false,
  seed: 1,
}

/** Refuses values that would make a run meaningless (a typo in a test should fail loudly). */
export function checkFaults(faults: Faults): Faults {
  if (!(faults.failRate >= 0 && faults.failRate <= 1)) throw new RangeError(`failRate must be in 0..1, got ${faults.failRate}`)
  for (const kind of faults.kinds) {
    if (!faultKinds.includes(kind)) throw new RangeError(`unknown fault kind ${JSON.stringify(kind)} (known: ${faultKinds.join(', ')})`)
  }
  if (faults.failRate > 0 && faults.kinds.length === 0) throw new RangeError('failRate > 0 needs at least one fault kind')
  if (!(Number.isInteger(faults.retryAfterSeconds) && faults.retryAfterSeconds >= 0)) {
    throw new RangeError(`retryAfterSeconds must be a whole number >= 0, got ${faults.retryAfterSeconds}`)
  }
  if (!(faults.slowMs >= 0)) throw new RangeError(`slowMs must be >= 0, got ${faults.slowMs}`)
  if (!Number.isFinite(faults.seed)) throw new RangeError(`seed must be a number, got ${faults.seed}`)
  return faults
}

/** The seeded PRNG of the faults (mulberry32, see ../random.ts). */
export { prng }

/** Draws the fault of one request: null (answer normally) or one of `faults.kinds`. */
export function drawFault(faults: Faults, random: () => number): FaultKind | null {
  if (faults.failRate <= 0 || faults.kinds.length === 0) return null
  if (random() >= faults.failRate) return null
  return faults.kinds[Math.floor(random() * faults.kinds.length)] ?? null
}
