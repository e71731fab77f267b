// The scoring core: one customer's history and what everyone bought give a ranked list of skus,
// each with the reason that weighs most in its score. Pure: the register's cache and the offline
// `musubi recommend` feed it through a SuggestSource, and the register then applies what only a
// store knows (stock, sizes, dismissals: engine.ts).
//
// Every source of evidence scores a candidate on its own bounded scale; a candidate's score is
// their sum (a product viewed *and* bought with the customer's shoes ranks above one that is
// only either), and its reason the largest of them.
import type { SuggestionReason, SuggestionReasonKind } from '../../../shared/suggestions.ts'
import { SAME_OCCASION_MS, type HistoryEvent, type SuggestSource } from './types.ts'

const DAY_MS = 86_400_000

export type RankInput = {
  history: readonly HistoryEvent[]
  nowMs: number
  /** How many to return. */
  limit: number
  /** Skus never to suggest (dismissed). */
  exclude?: ReadonlySet<string>
}

export type Ranked = { sku: string; score: number; reason: SuggestionReason }

export type RankResult = {
  ranked: Ranked[]
  /** Skus the customer bought; those in `again` may be suggested again (bought repeatedly). */
  owned: ReadonlySet<string>
  again: ReadonlySet<string>
}

/** The scale of each kind of evidence (the most it can add to a score). */
const SCALE = {
  view: 1.4,
  cart: 2.2,
  replenish: 2.0,
  together: 1.8,
  category: 0.9,
  bestseller: 0.5,
} as const

const ANCHORS = 12
const NEIGHBOURS = 30
const AFFINITY_CATEGORIES = 3
const AFFINITY_MIN_SHARE = 0.12
const AFFINITY_PRODUCTS = 120
const PER_CATEGORY = 15
/** Suggestions for one category affinity at full score. */
const CATEGORY_AFFINITY_FULL = 2
const BESTSELLERS = 30
/** An item bought once is suggested again only when this share of its buyers (at least
 * REPEAT_MIN_BUYERS of them) bought it again: tea, socks, not coats. */
const REPEAT_MIN_SHARE = 0.2
const REPEAT_MIN_BUYERS = 5
const ONCE_BOUGHT = 100

/** 1 now, halving every `halfLifeDays`, never below `floor`: old evidence weighs less, not nothing. */
function recency(ageMs: number, halfLifeDays: number, floor: number): number {
  const days = Math.max(0, ageMs) / DAY_MS
  return floor + (1 - floor) * Math.pow(2, -days / halfLifeDays)
}

type Part = { score: number; facts: Record<string, string | number> }

type Clock = { nowMs: number; lastMs: number; fade: number }

class Candidates {
  private readonly parts = new Map<string, Map<SuggestionReasonKind, Part>>()

  /** Adds evidence of a kind; one entry per kind and sku (a later one replaces it). */
  set(sku: string, kind: SuggestionReasonKind, part: Part): void {
    let parts = this.parts.get(sku)
    if (!parts) {
      parts = new Map()
      this.parts.set(sku, parts)
    }
    parts.set(kind, part)
  }

  ranked(skip: (sku: string) => boolean): Ranked[] {
    const out: Ranked[] = []
    for (const [sku, parts] of this.parts) {
      if (skip(sku)) continue
      let score = 0
      let best: { kind: SuggestionReasonKind; part: Part } | null = null
      for (const [kind, part] of parts) {
        score += part.score
        if (!best || part.score > best.part.score) best = { kind, part }
      }
      if (best && score > 0) out.push({ sku, score, reason: { kind: best.kind, facts: best.part.facts } })
    }
    return out.sort((a, b) => b.score - a.score || (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0))
  }
}

type Behaviour = { views: number[]; carts: number[]; wishlists: number[] }

export function rankForMember(input: RankInput, source: SuggestSource): RankResult {
  const { nowMs } = input
  // Buying occasions per sku, ascending, and online behaviour per sku.
  const bought = new Map<string, number[]>()
  const behaviour = new Map<string, Behaviour>()
  const sorted = [...input.history].sort((a, b) => a.atMs - b.atMs)
  for (const event of sorted) {
    if (event.type === 'purchase') {
      const times = bought.get(event.sku)
      if (!times) bought.set(event.sku, [event.atMs])
      else if (event.atMs - times[times.length - 1]! >= SAME_OCCASION_MS) times.push(event.atMs)
      continue
    }
    let b = behaviour.get(event.sku)
    if (!b) {
      b = { views: [], carts: [], wishlists: [] }
      behaviour.set(event.sku, b)
    }
    ;(event.type === 'view' ? b.views : event.type === 'cart' ? b.carts : b.wishlists).push(event.atMs)
  }
  // Evidence ages from the customer's latest activity (what they did last is what they want now,
  // however long ago), and all of it fades a little the longer they have been away.
  const lastMs = sorted.length > 0 ? sorted[sorted.length - 1]!.atMs : nowMs
  const clock: Clock = { nowMs, lastMs, fade: recency(nowMs - lastMs, 30, 0.5) }
  const owned = new Set(bought.keys())
  const candidates = new Candidates()

  addOnlineIntent(candidates, behaviour, bought, clock)
  const again = addReplenishment(candidates, bought, nowMs, source)
  addBoughtTogether(candidates, bought, clock, source)
  addCategoryAffinity(candidates, sorted, clock, source)
  for (const item of scaled(source.bestsellers(BESTSELLERS + input.limit))) {
    candidates.set(item.sku, 'store_bestseller', { score: SCALE.bestseller * Math.pow(item.share, 0.7), facts: { soldHereThisWeek: item.soldThisWeek } })
  }

  const exclude = input.exclude
  const ranked = diversified(candidates.ranked((sku) => (owned.has(sku) && !again.has(sku)) || (exclude?.has(sku) ?? false)))
  return { ranked: ranked.slice(0, input.limit), owned, again }
}

/** A list of eight towels says less than two towels and six other things: past the second
 * suggestion for the same category affinity, each counts half. */
function diversified(ranked: Ranked[]): Ranked[] {
  const seen = new Map<string | number, number>()
  let changed = false
  for (const r of ranked) {
    if (r.reason.kind !== 'category_affinity') continue
    const category = r.reason.facts['category']!
    const n = (seen.get(category) ?? 0) + 1
    seen.set(category, n)
    if (n > CATEGORY_AFFINITY_FULL) {
      r.score /= 2
      changed = true
    }
  }
  return changed ? ranked.sort((a, b) => b.score - a.score || (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0)) : ranked
}

/** Viewed, carted or wished for online since the customer last bought it. */
function addOnlineIntent(candidates: Candidates, behaviour: Map<string, Behaviour>, bought: Map<string, number[]>, clock: Clock): void {
  const { nowMs, lastMs, fade } = clock
  for (const [sku, b] of behaviour) {
    const lastBought = bought.get(sku)?.at(-1) ?? -Infinity
    const views = b.views.filter((t) => t > lastBought)
    const carts = b.carts.filter((t) => t > lastBought)
    const wishlists = b.wishlists.filter((t) => t > lastBought)
    if (views.length + carts.length + wishlists.length === 0) continue
    const viewWeight = fade * views.reduce((sum, t) => sum + recency(lastMs - t, 7, 0.3), 0)
    const cartWeight =
      fade * (carts.reduce((sum, t) => sum + recency(lastMs - t, 10, 0.35), 0) + 0.6 * wishlists.reduce((sum, t) => sum + recency(lastMs - t, 30, 0.35), 0))
    const score = SCALE.view * (1 - Math.exp(-viewWeight)) + (cartWeight > 0 ? SCALE.cart * (0.45 + 0.55 * (1 - Math.exp(-cartWeight))) : 0)
    const first = Math.min(views[0] ?? Infinity, carts[0] ?? Infinity, wishlists[0] ?? Infinity)
    const days = Math.max(1, Math.ceil((nowMs - first) / DAY_MS))
    if (carts.length + wishlists.length > 0) {
      candidates.set(sku, 'carted_online', { score, facts: { carts: carts.length, wishlists: wishlists.length, views: views.length, days } })
    } else {
      candidates.set(sku, 'viewed_online', { score, facts: { views: views.length, days } })
    }
  }
}

/** How due a purchase is when `ratio` of its usual interval has passed since the last one. */
function dueness(ratio: number): number {
  if (ratio < 0.5) return 0.15
  if (ratio < 0.85) return 0.15 + ((ratio - 0.5) / 0.35) * 0.85
  if (ratio <= 1.6) return 1
  return Math.max(0.35, 1 - (ratio - 1.6) * 0.4)
}

/**
 * Bought repeatedly: by this customer three times or more (their own interval), twice when the
 * item's buyers buy it again as a rule, or bought once and an item that its buyers buy again
 * (everyone's interval). Due when the interval has about
 * passed since the last time. Answers the owned skus that may be suggested again.
 */
function addReplenishment(candidates: Candidates, bought: Map<string, number[]>, nowMs: number, source: SuggestSource): Set<string> {
  const again = new Set<string>()
  const once: string[] = []
  const twice: string[] = []
  const ownCycle = (sku: string, times: number[], confidence: number) => {
    const daysSince = Math.max(0, Math.floor((nowMs - times[times.length - 1]!) / DAY_MS))
    const intervals = times.slice(1).map((t, i) => t - times[i]!).sort((a, b) => a - b)
    const mid = intervals.length >> 1
    const median = intervals.length % 2 === 1 ? intervals[mid]! : (intervals[mid - 1]! + intervals[mid]!) / 2
    const cycleDays = Math.max(1, Math.round(median / DAY_MS))
    const score = SCALE.replenish * dueness(daysSince / cycleDays) * confidence
    candidates.set(sku, 'replenish', { score, facts: { cycleDays, daysSince, times: times.length, cycleOf: 'customer' } })
    again.add(sku)
  }
  for (const [sku, times] of bought) {
    if (times.length >= 3) ownCycle(sku, times, 1)
    else if (times.length === 2) twice.push(sku)
    else once.push(sku)
  }
  // Two purchases are one interval, not yet a cycle: a coat bought twice (a gift, a second
  // colour) is not "due". It counts when the item's buyers buy it again as a rule.
  for (const [sku, stats] of source.repeatStatsOf(twice)) {
    if (stats.buyers < REPEAT_MIN_BUYERS || stats.repeaters / stats.buyers < REPEAT_MIN_SHARE) continue
    ownCycle(sku, bought.get(sku)!, 0.8)
  }
  // The most recent ones: an item bought once long ago says little about a cycle.
  once.sort((a, b) => bought.get(b)![0]! - bought.get(a)![0]!)
  for (const [sku, stats] of source.repeatStatsOf(once.slice(0, ONCE_BOUGHT))) {
    const share = stats.repeaters / stats.buyers
    if (stats.buyers < REPEAT_MIN_BUYERS || share < REPEAT_MIN_SHARE || stats.cycleDays === null) continue
    const times = bought.get(sku)!
    const daysSince = Math.max(0, Math.floor((nowMs - times[times.length - 1]!) / DAY_MS))
    const cycleDays = Math.max(1, Math.round(stats.cycleDays))
    const confidence = 0.7 * Math.min(1, share / 0.5)
    const score = SCALE.replenish * dueness(daysSince / cycleDays) * confidence
    candidates.set(sku, 'replenish', { score, facts: { cycleDays, daysSince, times: 1, cycleOf: 'everyone' } })
    again.add(sku)
  }
  return again
}

/** What the members who bought the customer's recent purchases also bought within 30 days. */
function addBoughtTogether(candidates: Candidates, bought: Map<string, number[]>, clock: Clock, source: SuggestSource): void {
  const anchors = [...bought].map(([sku, times]) => ({ sku, last: times[times.length - 1]! })).sort((a, b) => b.last - a.last || (a.sku < b.sku ? -1 : 1))
  const evidence = new Map<string, { sum: number; best: number; anchor: string; at: number }>()
  for (const anchor of anchors.slice(0, ANCHORS)) {
    const weight = clock.fade * recency(clock.lastMs - anchor.last, 45, 0.3)
    const { buyers, items } = source.neighbours(anchor.sku, NEIGHBOURS)
    if (buyers === 0) continue
    for (const n of items) {
      if (n.sku === anchor.sku || n.buyers === 0) continue
      const similarity = Math.min(1, n.together / Math.sqrt(buyers * n.buyers))
      const confidence = n.together / (n.together + 2)
      const c = weight * similarity * confidence
      const e = evidence.get(n.sku)
      if (!e) evidence.set(n.sku, { sum: c, best: c, anchor: anchor.sku, at: anchor.last })
      else {
        e.sum += c
        if (c > e.best) Object.assign(e, { best: c, anchor: anchor.sku, at: anchor.last })
      }
    }
  }
  for (const [sku, e] of evidence) {
    const facts = { boughtSku: e.anchor, boughtAt: new Date(e.at).toISOString().slice(0, 10) }
    candidates.set(sku, 'bought_together', { score: SCALE.together * (1 - Math.exp(-2.5 * e.sum)), facts })
  }
}

/** What sells in the categories the customer keeps coming back to (`history` ascending). */
function addCategoryAffinity(candidates: Candidates, history: readonly HistoryEvent[], clock: Clock, source: SuggestSource): void {
  // The latest products the customer touched say enough (and a heavy customer has thousands).
  const recent = new Set<string>()
  for (let i = history.length - 1; i >= 0 && recent.size < AFFINITY_PRODUCTS; i--) recent.add(history[i]!.sku)
  if (recent.size === 0) return
  const categories = source.categoriesOf([...recent])
  const weightOf = { purchase: 2, cart: 1, wishlist: 0.8, view: 0.4 } as const
  const affinity = new Map<string, number>()
  let total = 0
  for (const event of history) {
    const category = categories.get(event.sku)
    if (category === undefined) continue
    const w = weightOf[event.type] * recency(clock.lastMs - event.atMs, 30, 0.2)
    affinity.set(category, (affinity.get(category) ?? 0) + w)
    total += w
  }
  if (total === 0) return
  const top = [...affinity]
    .map(([category, w]) => ({ category, share: w / total }))
    .filter((c) => c.share >= AFFINITY_MIN_SHARE)
    .sort((a, b) => b.share - a.share || (a.category < b.category ? -1 : 1))
    .slice(0, AFFINITY_CATEGORIES)
  for (const { category, share } of top) {
    const name = category.split(' > ').at(-1) ?? category
    for (const item of scaled(source.bestsellersIn(category, PER_CATEGORY))) {
      candidates.set(item.sku, 'category_affinity', { score: SCALE.category * share * Math.sqrt(item.share), facts: { category: name } })
    }
  }
}

/** Each item with its score as a share of the best one's. */
function scaled<T extends { score: number }>(items: readonly T[]): (T & { share: number })[] {
  const top = items[0]?.score ?? 0
  return top > 0 ? items.map((item) => ({ ...item, share: item.score / top })) : []
}
