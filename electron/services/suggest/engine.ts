// Suggestions on the customer card: the scoring core (scoring.ts) over the register's cache, then
// what only a store knows: the product as the cache has it, the customer's size, stock here
// (none: "order online for delivery"), and the associates' dismissals.
// A customer without personalization consent gets only what sells in this store.
import type { MemberSuggestions, Suggestion } from '../../../shared/suggestions.ts'
import { getCustomer } from '../db/customers.ts'
import { prepared, type ReadableDB } from '../db/handle.ts'
import { dbSource, popularity, productRows, stockHere, type ProductRow } from './db-source.ts'
import { activeDismissals } from './dismissals.ts'
import { rankForMember, type Ranked } from './scoring.ts'
import { familyOf, fitToSize, stemOf } from './sizes.ts'
import type { HistoryEvent } from './types.ts'

export type { MemberSuggestions, Suggestion } from '../../../shared/suggestions.ts'

export type SuggestContext = { db: ReadableDB; storeId: string; now: () => Date; limit: number }

const DAY_MS = 86_400_000
/** Read per scan: online behaviour of the last 180 days, at most 300 events, and the last 600 purchases. */
const BEHAVIOUR_DAYS = 180
const BEHAVIOUR_ROWS = 300
const PURCHASE_ROWS = 600
/** Not on hand here: still suggested (to order online), after what the customer can take home. */
const ORDER_ONLINE_FACTOR = 0.75
/** Comes in sizes but not in the customer's. */
const OTHER_SIZE_FACTOR = 0.6

/** The customer's purchases and recent online behaviour, as the scoring core reads them. */
export function loadHistory(db: ReadableDB, memberId: string, nowMs: number): HistoryEvent[] {
  const history: HistoryEvent[] = []
  // Rows as arrays and times as numbers: a heavy customer has thousands of events, read on every scan.
  const purchases = prepared<[string, number], [string, number]>(
    db,
    `SELECT sku, CAST(unixepoch(at, 'subsec') * 1000 AS INTEGER) FROM events
      WHERE member_id = ? AND type = 'purchase' AND sku IS NOT NULL ORDER BY at DESC LIMIT ?`,
  )
    .raw(true)
    .all(memberId, PURCHASE_ROWS)
  for (const [sku, atMs] of purchases) history.push({ type: 'purchase', sku, atMs })
  const behaviour = prepared<[string, string, number], [string, string | null, number]>(
    db,
    `SELECT type, sku, CAST(unixepoch(at, 'subsec') * 1000 AS INTEGER) FROM events
      WHERE member_id = ? AND at >= ? ORDER BY at DESC LIMIT ?`,
  )
    .raw(true)
    .all(memberId, new Date(nowMs - BEHAVIOUR_DAYS * DAY_MS).toISOString(), BEHAVIOUR_ROWS)
  for (const [type, sku, atMs] of behaviour) {
    if (sku === null || (type !== 'view' && type !== 'cart' && type !== 'wishlist')) continue
    history.push({ type, sku, atMs })
  }
  return history
}

export function suggestFor(context: SuggestContext, memberId: string): Suggestion[] {
  return suggestionsOf(context, memberId).suggestions
}

/** The card's suggestions, and whether they are the customer's own (false: consent withheld). */
export function suggestionsOf(context: SuggestContext, memberId: string): MemberSuggestions {
  const { db, storeId, limit } = context
  const now = context.now()
  const customer = getCustomer(db, memberId)
  if (!customer?.consent.personalization) return { personalized: false, suggestions: storeBestsellers(context, memberId) }
  const nowMs = now.getTime()
  const dismissed = activeDismissals(db, memberId, now)
  const { ranked, owned, again } = rankForMember(
    { history: loadHistory(db, memberId, nowMs), nowMs, limit: limit * 4 + 20, exclude: dismissed },
    dbSource(db, storeId, nowMs),
  )
  const products = productRows(db, [...ranked.map((r) => r.sku), ...ranked.flatMap((r) => (r.reason.kind === 'bought_together' ? [String(r.reason.facts['boughtSku'])] : []))])
  // Another size of something bought once, or of something dismissed, is that same thing.
  const ownedStems = new Set([...owned].filter((sku) => !again.has(sku)).map(stemOf))
  const dismissedStems = new Set([...dismissed].map(stemOf))
  const fitted: { ranked: Ranked; product: ProductRow; facts: Record<string, string | number>; score: number }[] = []
  for (const r of ranked) {
    const found = products.get(r.sku)
    if (!found?.active) continue
    const facts = { ...r.reason.facts }
    let product = found
    let score = r.score
    const fit = fitToSize(db, found, customer.sizes)
    if (fit.kind === 'fits') {
      product = fit.product
      products.set(product.sku, product)
      facts['size'] = fit.size
    } else if (fit.kind === 'other_size') score *= OTHER_SIZE_FACTOR
    if ((owned.has(product.sku) && !again.has(product.sku)) || dismissed.has(product.sku)) continue
    const family = familyOf(product)
    if (family !== product.sku && (ownedStems.has(family) || dismissedStems.has(family))) continue
    if (r.reason.kind === 'bought_together') facts['boughtName'] = products.get(String(facts['boughtSku']))?.name ?? String(facts['boughtSku'])
    fitted.push({ ranked: r, product, facts, score })
  }
  const stock = stockHere(
    db,
    storeId,
    fitted.map((f) => f.product.sku),
  )
  const suggestions = fitted.map((f): Suggestion => {
    const onHandHere = stock.get(f.product.sku) ?? null
    const orderOnline = onHandHere === null || onHandHere <= 0
    return {
      sku: f.product.sku,
      name: f.product.name,
      priceYen: f.product.priceYen,
      onHandHere,
      orderOnline,
      score: round(orderOnline ? f.score * ORDER_ONLINE_FACTOR : f.score),
      reason: { kind: f.ranked.reason.kind, facts: f.facts },
    }
  })
  return { personalized: true, suggestions: bestOfEachFamily(suggestions, products, limit) }
}

/**
 * What sells in this store now (its own sales over the last weeks, the last days weighing most),
 * one size of each style; nothing from the customer's history. `memberId` only hides what an
 * associate dismissed for that customer.
 */
export function storeBestsellers(context: SuggestContext, memberId: string | null = null): Suggestion[] {
  const { db, storeId, limit } = context
  const now = context.now()
  const dismissed = memberId === null ? new Set<string>() : activeDismissals(db, memberId, now)
  const dismissedStems = new Set([...dismissed].map(stemOf))
  const here = popularity(db, storeId, now.getTime()).here.filter((item) => !dismissed.has(item.sku)).slice(0, limit * 4)
  const top = here[0]?.score ?? 0
  const products = productRows(
    db,
    here.map((item) => item.sku),
  )
  const stock = stockHere(
    db,
    storeId,
    here.map((item) => item.sku),
  )
  const suggestions: Suggestion[] = []
  for (const item of here) {
    const product = products.get(item.sku)
    if (!product?.active) continue
    const family = familyOf(product)
    if (family !== product.sku && dismissedStems.has(family)) continue
    const onHandHere = stock.get(item.sku) ?? null
    suggestions.push({
      sku: item.sku,
      name: product.name,
      priceYen: product.priceYen,
      onHandHere,
      orderOnline: onHandHere === null || onHandHere <= 0,
      score: round(top > 0 ? item.score / top : 0),
      reason: { kind: 'store_bestseller', facts: { soldHereThisWeek: item.soldThisWeek } },
    })
  }
  return bestOfEachFamily(suggestions, products, limit)
}

/** Best first, one product per style and colour, at most `limit`. */
function bestOfEachFamily(suggestions: Suggestion[], products: Map<string, ProductRow>, limit: number): Suggestion[] {
  const sorted = [...suggestions].sort((a, b) => b.score - a.score || (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0))
  const seen = new Set<string>()
  const out: Suggestion[] = []
  for (const s of sorted) {
    const product = products.get(s.sku)
    const family = product ? familyOf(product) : s.sku
    if (seen.has(family) || seen.has(s.sku)) continue
    seen.add(family)
    seen.add(s.sku)
    out.push(s)
    if (out.length >= limit) break
  }
  return out
}

function round(score: number): number {
  return Math.round(score * 1000) / 1000
}
