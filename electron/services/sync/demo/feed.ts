// The demo feed as one long list addressed by position: stores, products, inventory, coupons,
// customers, then events. Anything depending on the anchor day (coupon dates, event times) is
// built per anchor; the rest once per connector.
import type { Customer, ProfileEvent, RawChange } from '../../../../shared/records.ts'
import { storeSeeds } from './catalog-data.ts'
import { buildCatalog, inventoryRecord, type Catalog } from './catalog.ts'
import { buildCoupons } from './coupons.ts'
import { memberEvents, type EventWorld } from './events.ts'
import {
  activityRoll,
  activityWeight,
  customerRecord,
  memberTraits,
  SAMPLE_MEMBER_INDEX,
  type MemberTraits,
  type StoreLayout,
} from './people.ts'
import { at } from './random.ts'
import { demoTotals, type DemoTotals } from './totals.ts'

/** Events of the sample member at scale 1: a long history, all of it shown at the counter. */
const SAMPLE_EVENT_COUNT = 420

export type DemoFeed = {
  seed: number
  scale: number
  totals: DemoTotals
  catalog: Catalog
  stores: StoreLayout
  /** Member m's events are positions [eventOffsets[m], eventOffsets[m + 1]) of the events segment. */
  eventOffsets: Int32Array
}

export type AnchoredFeed = { feed: DemoFeed; world: EventWorld }

const segmentKinds = ['store', 'product', 'inventory', 'coupon', 'customer', 'event'] as const
type SegmentKind = (typeof segmentKinds)[number]

/**
 * Each member's number of events, fixed up front so that a position maps to (member, event)
 * without generating anyone else. Cumulative rounding keeps the sum exact.
 */
export function eventOffsetsOf(seed: number, customers: number, events: number): Int32Array {
  const offsets = new Int32Array(customers + 1)
  const sampleCount = customers === 1 ? events : Math.min(SAMPLE_EVENT_COUNT, Math.floor(events / 4))
  const rest = events - sampleCount
  const minEach = rest >= customers - 1 ? 1 : 0
  const spread = rest - minEach * (customers - 1)
  const weights = new Float64Array(customers)
  let weightSum = 0
  for (let m = 1; m < customers; m++) {
    const w = activityWeight(activityRoll(seed, m))
    weights[m] = w
    weightSum += w
  }
  offsets[SAMPLE_MEMBER_INDEX + 1] = sampleCount
  let cumulative = 0
  let given = 0
  for (let m = 1; m < customers; m++) {
    cumulative += weights[m] ?? 0
    const share = m === customers - 1 ? spread : Math.round((cumulative / weightSum) * spread)
    offsets[m + 1] = (offsets[m] ?? 0) + minEach + share - given
    given = share
  }
  return offsets
}

export function buildFeed(seed: number, scale: number, registerStoreId: string): DemoFeed {
  const totals = demoTotals(scale)
  const catalog = buildCatalog(seed, totals.products, registerStoreId)
  const stores: StoreLayout = {
    count: catalog.stores.length,
    registerStore: catalog.registerStore,
    homeWeights: storeSeeds.map((s) => s.homeWeight),
  }
  return { seed, scale, totals, catalog, stores, eventOffsets: eventOffsetsOf(seed, totals.customers, totals.events) }
}

export function anchorFeed(feed: DemoFeed, anchorMs: number): AnchoredFeed {
  const coupons = buildCoupons(feed.seed, anchorMs, feed.catalog, feed.totals.customers)
  return { feed, world: { seed: feed.seed, anchorMs, catalog: feed.catalog, coupons, stores: feed.stores } }
}

export function traitsOf(feed: DemoFeed, member: number): MemberTraits {
  return memberTraits(feed.seed, member, feed.stores)
}

export function customerOf(anchored: AnchoredFeed, traits: MemberTraits): Customer {
  return customerRecord(anchored.feed.seed, traits, anchored.world.anchorMs)
}

export function eventsOf(anchored: AnchoredFeed, traits: MemberTraits): ProfileEvent[] {
  const offsets = anchored.feed.eventOffsets
  const count = (offsets[traits.index + 1] ?? 0) - (offsets[traits.index] ?? 0)
  return memberEvents(anchored.world, traits, count)
}

/** The member whose events hold position `position` of the events segment. */
function memberAt(offsets: Int32Array, position: number): number {
  let low = 0
  let high = offsets.length - 2
  while (low < high) {
    const mid = (low + high + 1) >> 1
    if ((offsets[mid] ?? 0) <= position) low = mid
    else high = mid - 1
  }
  return low
}

/**
 * Reads pages of one anchored feed. Remembers the last member it generated: a member's history
 * often spans two pages, and generating it is the expensive part.
 */
export class FeedReader {
  private readonly anchored: AnchoredFeed
  private cachedMember = -1
  private cachedEvents: ProfileEvent[] = []

  constructor(anchored: AnchoredFeed) {
    this.anchored = anchored
  }

  /** Changes at positions [start, end) of the whole feed. */
  read(start: number, end: number): RawChange[] {
    const { feed } = this.anchored
    const sizes: Record<SegmentKind, number> = {
      store: feed.totals.stores,
      product: feed.totals.products,
      inventory: feed.totals.inventory,
      coupon: feed.totals.coupons,
      customer: feed.totals.customers,
      event: feed.totals.events,
    }
    const changes: RawChange[] = []
    let segmentStart = 0
    for (const kind of segmentKinds) {
      const segmentEnd = segmentStart + sizes[kind]
      const from = Math.max(start, segmentStart)
      const to = Math.min(end, segmentEnd)
      if (from < to) this.readSegment(kind, from - segmentStart, to - segmentStart, changes)
      segmentStart = segmentEnd
    }
    return changes
  }

  private readSegment(kind: SegmentKind, from: number, to: number, out: RawChange[]): void {
    const { feed, world } = this.anchored
    const { catalog } = feed
    switch (kind) {
      case 'store':
        for (let i = from; i < to; i++) {
          const store = at(catalog.stores, i, 'readSegment')
          out.push({ kind, op: 'upsert', id: store.storeId, data: { ...store } })
        }
        return
      case 'product':
        for (let i = from; i < to; i++) {
          const product = at(catalog.products, i, 'readSegment')
          // Copies: the catalog outlives the page, and a caller may change what it was given.
          out.push({ kind, op: 'upsert', id: product.sku, data: structuredClone(product) })
        }
        return
      case 'inventory':
        for (let i = from; i < to; i++) {
          const record = inventoryRecord(catalog, i)
          out.push({ kind, op: 'upsert', id: record.id, data: record })
        }
        return
      case 'coupon':
        for (let i = from; i < to; i++) {
          const coupon = at(world.coupons, i, 'readSegment').coupon
          out.push({ kind, op: 'upsert', id: coupon.code, data: structuredClone(coupon) })
        }
        return
      case 'customer':
        for (let i = from; i < to; i++) {
          const customer = customerOf(this.anchored, traitsOf(feed, i))
          out.push({ kind, op: 'upsert', id: customer.memberId, data: customer })
        }
        return
      case 'event': {
        const offsets = feed.eventOffsets
        let member = memberAt(offsets, from)
        let position = from
        while (position < to) {
          const events = this.eventsOfMember(member)
          const first = offsets[member] ?? 0
          const last = Math.min(to, offsets[member + 1] ?? 0)
          for (; position < last; position++) {
            const event = at(events, position - first, 'readSegment')
            out.push({ kind, op: 'upsert', id: event.id, data: event })
          }
          member++
        }
        return
      }
    }
  }

  private eventsOfMember(member: number): ProfileEvent[] {
    if (member !== this.cachedMember) {
      this.cachedEvents = eventsOf(this.anchored, traitsOf(this.anchored.feed, member))
      this.cachedMember = member
    }
    return this.cachedEvents
  }
}
