// What the suggestion engine hands to the card: products with the reason and the facts behind
// it. The UI renders a reason in Japanese or English from its kind and facts; the services
// never format words.

export const suggestionReasonKinds = ['viewed_online', 'carted_online', 'bought_together', 'replenish', 'category_affinity', 'store_bestseller'] as const
export type SuggestionReasonKind = (typeof suggestionReasonKinds)[number]

/**
 * Facts by kind (all optional keys are absent, never null):
 * - viewed_online: `views` (count), `days` (over this many days up to now), `size`? (the
 *   customer's size, when the product comes in sizes)
 * - carted_online: `carts`, `wishlists` (either may be 0, not both), `views`, `days`, `size`?
 * - bought_together: `boughtSku`, `boughtName`, `boughtAt` (YYYY-MM-DD), `size`?
 * - replenish: `cycleDays` (usual days between purchases), `daysSince` (since the last one),
 *   `times` (purchases of it by this customer), `cycleOf`: 'customer' (their own interval) or
 *   'everyone' (bought once, an item its buyers buy again: their usual interval), `size`?
 * - category_affinity: `category` (the category's own name, e.g. 'トップス'), `size`?
 * - store_bestseller: `soldHereThisWeek` (units sold here in the last 7 days)
 */
export type SuggestionReason = { kind: SuggestionReasonKind; facts: Record<string, string | number> }

export type Suggestion = {
  sku: string
  name: string
  priceYen: number
  /** Units on hand at this store; null when the store keeps no stock record of it. */
  onHandHere: number | null
  /** Not on hand here: offered only as "order online for delivery". */
  orderOnline: boolean
  /** Higher is better; comparable within one list only. */
  score: number
  reason: SuggestionReason
}

/** Suggestions for one customer, and whether they were built on the customer's own history. */
export type MemberSuggestions = {
  /** False: no personalization consent (or not in the cache); only what sells here. */
  personalized: boolean
  suggestions: Suggestion[]
}
