// The inputs of the scoring core (scoring.ts), the same whether they come from the register's
// cache (db-source.ts) or from CSV files in memory (memory-source.ts, `musubi recommend`).

/** One thing the customer did with a product; views, carts and wishlists are online behaviour. */
export type HistoryEvent = { type: 'view' | 'cart' | 'wishlist' | 'purchase'; sku: string; atMs: number }

/** A product that sells: `score` is units sold, each weighted down by its age (see popularity.ts). */
export type PopularItem = { sku: string; score: number; soldThisWeek: number }

/** An item bought by `together` of the `buyers` members who bought it, within 30 days of the anchor. */
export type Neighbour = { sku: string; together: number; buyers: number }

/**
 * How an item is bought again: of its `buyers`, `repeaters` bought it on two days or more, and
 * `cycleDays` is the mean time between one member's purchases of it (null: never bought again).
 */
export type RepeatStats = { buyers: number; repeaters: number; cycleDays: number | null }

export interface SuggestSource {
  /**
   * Members who bought `sku` (`buyers`), and the items the most of them also bought within 30 days
   * (at most `limit`, most members first).
   */
  neighbours(sku: string, limit: number): { buyers: number; items: Neighbour[] }
  /** What sells now where the customer stands (the register's store; everywhere offline), best first. */
  bestsellers(limit: number): PopularItem[]
  /** What sells now in one category (all channels), best first. */
  bestsellersIn(category: string, limit: number): PopularItem[]
  /** The category key of each of these skus that has one. */
  categoriesOf(skus: readonly string[]): Map<string, string>
  /** How each of these skus is bought again (absent: nobody bought it). */
  repeatStatsOf(skus: readonly string[]): Map<string, RepeatStats>
}

/** The window within which two purchases of one member count as bought together. */
export const TOGETHER_WINDOW_MS = 30 * 86_400_000

/** Purchases of one sku by one member closer than this are one buying occasion. */
export const SAME_OCCASION_MS = 86_400_000
