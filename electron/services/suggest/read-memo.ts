// Reads the engine repeats on every card (products, an item's partners, how items are bought
// again) kept per connection while what they come from has not changed: products change only
// through the feed, whose every page moves the sync cursor; partners and buying cycles change
// when this process counts purchases (derivedVersion); another connection's commit moves
// data_version and drops everything. A scan or a dismissal drops nothing.
import { prepared, type ReadableDB } from '../db/handle.ts'
import { derivedVersion } from './cooccurrence.ts'
import type { Neighbour, RepeatStats } from './types.ts'

export type ProductRow = {
  sku: string
  name: string
  priceYen: number
  active: boolean
  /** The category path joined with ' > ', or null. */
  category: string | null
  size: string | null
  /** The product's attributes as JSON text (compared only when looking for another size). */
  attributes: string | null
}

export type ReadMemo = {
  /** null: not in the cache. */
  products: Map<string, ProductRow | null>
  /** Products by sku prefix (a style's sizes). */
  prefixes: Map<string, ProductRow[]>
  neighbours: Map<string, { buyers: number; items: Neighbour[] }>
  /** null: nobody bought it. */
  repeat: Map<string, RepeatStats | null>
}

/** Entries kept per map before it starts over (a catalogue of a million products must not all stay). */
const MAX_ENTRIES = 50_000

type Kept = { catalogEpoch: string; countsEpoch: string; memo: ReadMemo }
const memos = new WeakMap<ReadableDB, Kept>()

export function readMemo(db: ReadableDB): ReadMemo {
  const version = (prepared<[], { data_version: number }>(db, 'PRAGMA data_version').get() as { data_version: number }).data_version
  const state = prepared<[], { cursor: string | null; generation: number }>(db, 'SELECT cursor, generation FROM sync_state WHERE id = 1').get()
  const catalogEpoch = `${version}:${state?.generation ?? ''}:${state?.cursor ?? ''}`
  const countsEpoch = `${version}:${derivedVersion(db)}`
  let kept = memos.get(db)
  if (!kept) {
    kept = { catalogEpoch, countsEpoch, memo: { products: new Map(), prefixes: new Map(), neighbours: new Map(), repeat: new Map() } }
    memos.set(db, kept)
  }
  const { memo } = kept
  if (kept.catalogEpoch !== catalogEpoch) {
    memo.products.clear()
    memo.prefixes.clear()
    kept.catalogEpoch = catalogEpoch
  }
  if (kept.countsEpoch !== countsEpoch) {
    memo.neighbours.clear()
    memo.repeat.clear()
    kept.countsEpoch = countsEpoch
  }
  for (const map of Object.values(memo) as Map<string, unknown>[]) if (map.size > MAX_ENTRIES) map.clear()
  return memo
}
