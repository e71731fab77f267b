// Reads the engine repeats on every card (products, an item's partners, how items are bought
// again) kept per connection until the database changes: this connection's own writes move
// total_changes(), other connections' commits move data_version. Between two pages of the feed a
// card asks SQLite only for what is the customer's own.
import { prepared, type ReadableDB } from '../db/handle.ts'
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

const memos = new WeakMap<ReadableDB, { epoch: string; memo: ReadMemo }>()

function emptyMemo(): ReadMemo {
  return { products: new Map(), prefixes: new Map(), neighbours: new Map(), repeat: new Map() }
}

export function readMemo(db: ReadableDB): ReadMemo {
  const changes = (prepared<[], { n: number }>(db, 'SELECT total_changes() AS n').get() as { n: number }).n
  const version = (prepared<[], { data_version: number }>(db, 'PRAGMA data_version').get() as { data_version: number }).data_version
  const epoch = `${version}:${changes}`
  const found = memos.get(db)
  if (found && found.epoch === epoch) {
    for (const map of Object.values(found.memo) as Map<string, unknown>[]) if (map.size > MAX_ENTRIES) map.clear()
    return found.memo
  }
  const memo = emptyMemo()
  memos.set(db, { epoch, memo })
  return memo
}
