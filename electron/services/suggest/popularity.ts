// "Selling now": units sold, each weighted down by its age (halving every 21 days). One
// definition for the register's cache and for the offline evaluation.
//
// Exponential decay keeps it incremental: an item's trend weight is the sum over its sales of
// qty × 2^((day − TREND_EPOCH_DAY) / 21). Every weight decays by the same factor as days pass, so
// ranking items by weight is ranking them by sales now, and a sale adds to a weight without
// touching the others. The weights stay well inside a double until about 2078.
const HALF_LIFE_DAYS = 21
/** 2020-01-01 as a UTC day number. */
export const TREND_EPOCH_DAY = 18262
export const WEEK_DAYS = 7
const DAY_MS = 86_400_000

/** What `qty` units sold on UTC day `dayNo` add to an item's trend weight. */
export function trendWeight(dayNo: number, qty: number): number {
  return qty * Math.pow(2, (dayNo - TREND_EPOCH_DAY) / HALF_LIFE_DAYS)
}

/** A trend weight as units sold "today" (day `today`): comparable across items, readable in tests. */
export function trendScore(weight: number, today: number): number {
  return weight * Math.pow(2, (TREND_EPOCH_DAY - today) / HALF_LIFE_DAYS)
}

/** The UTC day number of a time (days since 1970-01-01). */
export function dayNumber(ms: number): number {
  return Math.floor(ms / DAY_MS)
}

const dayKeys = new Map<number, string>()

/** The UTC calendar day (YYYY-MM-DD) of a day number, as item_sales keeps it. */
export function dayKeyOf(dayNo: number): string {
  let key = dayKeys.get(dayNo)
  if (key === undefined) {
    key = new Date(dayNo * DAY_MS).toISOString().slice(0, 10)
    if (dayKeys.size > 10_000) dayKeys.clear()
    dayKeys.set(dayNo, key)
  }
  return key
}

/** The UTC calendar day of a time, as item_sales keeps it. */
export function dayKey(ms: number): string {
  return dayKeyOf(dayNumber(ms))
}

/** Sales per sku in memory, as the cache's item_trend and item_sales would give them. */
export class SalesTally {
  private readonly scores = new Map<string, { score: number; soldThisWeek: number }>()
  private readonly today: number

  constructor(nowMs: number) {
    this.today = dayNumber(nowMs)
  }

  /** Adds `qty` units of `sku` sold on UTC day `dayNo` (a day after today counts for nothing). */
  add(sku: string, dayNo: number, qty: number): void {
    const age = this.today - dayNo
    if (age < 0 || qty <= 0) return
    let entry = this.scores.get(sku)
    if (!entry) {
      entry = { score: 0, soldThisWeek: 0 }
      this.scores.set(sku, entry)
    }
    entry.score += trendScore(trendWeight(dayNo, qty), this.today)
    if (age < WEEK_DAYS) entry.soldThisWeek += qty
  }

  /** Best first (ties by sku, so lists are stable). */
  ranked(): { sku: string; score: number; soldThisWeek: number }[] {
    return [...this.scores]
      .map(([sku, e]) => ({ sku, score: e.score, soldThisWeek: e.soldThisWeek }))
      .sort((a, b) => b.score - a.score || (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0))
  }
}
