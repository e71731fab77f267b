// One member's history, generated whole from (seed, member index, anchor day): sessions of
// browsing that sometimes lead to a cart, a wish list or an order, and visits to their stores.
// The count is fixed beforehand (see feed.ts) so the feed can be addressed by position; the
// story is cut when it reaches it.
import type { Channel, ProfileEvent } from '../../../../shared/records.ts'
import type { Catalog } from './catalog.ts'
import type { CouponRule } from './coupons.ts'
import { audienceMatches } from './coupons.ts'
import type { MemberTraits, StoreLayout } from './people.ts'
import { SAMPLE_MEMBER_INDEX } from './people.ts'
import { onlineOrderIdOf, saleIdOf } from './ids.ts'
import { at, type Rng, rngFor, streams } from './random.ts'

export type EventWorld = {
  seed: number
  /** UTC midnight of the anchor day: every event is before it, and at most 730 days before. */
  anchorMs: number
  catalog: Catalog
  coupons: CouponRule[]
  stores: StoreLayout
}

type Line = { product: number; qty: number }

const DAY_MS = 86_400_000
const HOUR_MS = 3_600_000
/** JST hours 7..24 of online sessions: lunch and late evening are busiest. */
const onlineHourWeights = [1, 2, 2, 2, 2, 3, 3, 2, 2, 2, 3, 4, 5, 6, 6, 5, 3, 1]
const JST_HOURS_FROM_UTC = 9
/** Views of the sample member in the days just before the anchor, for the demo at the counter. */
const SAMPLE_TAIL_VIEWS = 12

class MemberStory {
  readonly events: ProfileEvent[] = []
  private readonly world: EventWorld
  private readonly traits: MemberTraits
  private readonly rng: Rng
  private readonly digits: string
  private readonly redeemed: Int32Array
  private readonly consumables: number[] = []
  private limit = 0
  private seq = 0
  private orders = 0

  constructor(world: EventWorld, traits: MemberTraits) {
    this.world = world
    this.traits = traits
    this.rng = rngFor(world.seed, streams.events, traits.index)
    this.digits = traits.memberId.slice(1)
    this.redeemed = new Int32Array(world.coupons.length)
  }

  tell(count: number): ProfileEvent[] {
    const sample = this.traits.index === SAMPLE_MEMBER_INDEX
    const tail = sample ? Math.min(SAMPLE_TAIL_VIEWS, Math.floor(count / 4)) : 0
    const anchorDay = Math.floor(this.world.anchorMs / DAY_MS)
    const firstDay = anchorDay - this.traits.sinceDays
    const lastDay = anchorDay - (sample ? 4 : 1)
    const spanDays = Math.max(1, lastDay - firstDay + 1)
    this.limit = count - tail
    // Sessions are spread by how far through the story they are, so a member's history spans
    // their whole membership whatever their number of events.
    for (let session = 0; this.events.length < this.limit; session++) {
      const progress = Math.min(0.999999, (this.events.length + this.rng.next() * 3) / this.limit)
      const day = firstDay + Math.floor(progress * spanDays)
      if (sample) this.sampleSession(session, day)
      else if (this.rng.chance(this.traits.storeShare)) this.storeVisit(day, null)
      else this.onlineSession(day, false)
    }
    this.limit = count
    if (tail > 0) this.recentViewsInRegisterStore(anchorDay, tail)
    return this.events
  }

  /** A fixed rhythm, so the sample member always has what the README promises. */
  private sampleSession(session: number, day: number): void {
    switch (session % 8) {
      case 1:
        this.onlineSession(day, true)
        break
      case 2:
      case 5:
        this.storeVisit(day, this.world.stores.registerStore)
        break
      case 7:
        this.storeVisit(day, this.traits.otherStore)
        break
      default:
        this.onlineSession(day, false)
    }
  }

  private recentViewsInRegisterStore(anchorDay: number, views: number): void {
    const { catalog, stores } = this.world
    const offset = stores.registerStore * catalog.products.length
    const channel: Channel = 'app'
    for (let i = 0; i < views; i++) {
      const day = anchorDay - 3 + Math.floor((i * 3) / views)
      let product = this.variantOf(this.pickStyle())
      for (let tries = 0; tries < 50 && !(catalog.stock[offset + product] ?? 0); tries++) {
        product = this.variantOf(this.pickStyle())
      }
      const t = this.onlineStart(day) + i * 60_000
      this.emit(this.simple('view', channel, product, t))
    }
  }

  private onlineSession(day: number, forceOrder: boolean): void {
    const rng = this.rng
    const channel: Channel = rng.chance(this.traits.appShare) ? 'app' : 'web'
    let t = this.onlineStart(day)
    if (!forceOrder && this.consumables.length > 0 && rng.chance(0.12)) {
      // Running out of the usual tea or skincare: straight to the product and the cart.
      const product = rng.pick(this.consumables)
      if (!this.emit(this.simple('view', channel, product, t))) return
      t += 40_000
      if (!this.emit(this.simple('cart', channel, product, t))) return
      this.order(channel, [this.line(product)], t + 90_000, null)
      return
    }
    const { catalog } = this.world
    const first = this.pickStyle()
    const sameGroup = at(catalog.groupStyles, at(catalog.styles, first, 'onlineSession').group, 'onlineSession')
    const viewed: number[] = []
    const views = 1 + rng.geometric(0.35, 9)
    for (let i = 0; i < views; i++) {
      const style = i === 0 ? first : rng.chance(0.6) ? rng.pick(sameGroup) : this.pickStyle()
      const product = this.variantOf(style)
      if (!this.emit(this.simple('view', channel, product, t))) return
      viewed.push(product)
      t += (20 + rng.int(160)) * 1000
    }
    if (forceOrder || rng.chance(0.22)) {
      const carted = [rng.pick(viewed)]
      const second = rng.pick(viewed)
      if (rng.chance(0.2) && second !== carted[0]) carted.push(second)
      for (const product of carted) {
        if (!this.emit(this.simple('cart', channel, product, t))) return
        t += (15 + rng.int(60)) * 1000
      }
      if (forceOrder || rng.chance(0.55)) this.order(channel, carted.map((p) => this.line(p)), t + rng.between(60, 600) * 1000, null)
    } else if (rng.chance(0.1)) {
      this.emit(this.simple('wishlist', channel, rng.pick(viewed), t))
    }
  }

  private storeVisit(day: number, forcedStore: number | null): void {
    const rng = this.rng
    const { stores } = this.world
    const store =
      forcedStore ??
      (rng.chance(0.8) ? this.traits.homeStore : rng.chance(0.6) ? this.traits.otherStore : rng.int(stores.count))
    const t = day * DAY_MS + HOUR_MS + rng.int(10.5 * 3600) * 1000 // 10:00–20:30 JST
    const lines: Line[] = []
    if (this.consumables.length > 0 && rng.chance(0.2)) lines.push(this.line(rng.pick(this.consumables)))
    const wanted = 1 + rng.geometric(0.55, 4)
    while (lines.length < wanted) {
      const product = this.variantOf(this.pickStyle())
      if (lines.some((l) => l.product === product)) break
      lines.push(this.line(product))
    }
    this.order('store', lines, t, store)
  }

  private order(channel: Channel, lines: Line[], t: number, store: number | null): void {
    const { catalog, coupons, seed } = this.world
    const n = this.orders++
    const orderId = store === null ? onlineOrderIdOf(this.traits.index, n) : saleIdOf(seed, this.traits.index, n)
    const storeId = store === null ? undefined : at(catalog.stores, store, 'order').storeId
    const time = new Date(t).toISOString()
    for (let i = 0; i < lines.length; i++) {
      const line = at(lines, i, 'order')
      const product = at(catalog.products, line.product, 'order')
      const event: ProfileEvent = {
        id: `${orderId}:${i}`,
        memberId: this.traits.memberId,
        type: 'purchase',
        channel,
        sku: product.sku,
        qty: line.qty,
        price: product.price,
        orderId,
        ...(storeId ? { storeId } : {}),
        at: time,
      }
      if (!this.emit(event)) return
      if (at(catalog.styles, at(catalog.productStyle, line.product, 'order'), 'order').template.consumable) {
        if (!this.consumables.includes(line.product)) this.consumables.push(line.product)
      }
    }
    for (const c of this.chooseCoupons(lines, t)) {
      const code = at(coupons, c, 'order').coupon.code
      const event: ProfileEvent = {
        id: `${orderId}:coupon:${code}`,
        memberId: this.traits.memberId,
        type: 'coupon_redeemed',
        channel,
        orderId,
        ...(storeId ? { storeId } : {}),
        couponCode: code,
        at: time,
      }
      if (!this.emit(event)) return
    }
  }

  /** At most one non-stackable coupon, then maybe one stackable, each one the member may use. */
  private chooseCoupons(lines: Line[], t: number): number[] {
    const rng = this.rng
    if (!rng.chance(this.traits.couponAffinity)) return []
    const { coupons, catalog, anchorMs } = this.world
    const single: number[] = []
    const stackable: number[] = []
    for (let c = 0; c < coupons.length; c++) {
      const rule = at(coupons, c, 'chooseCoupons')
      if (t < rule.fromMs || t >= rule.toMs) continue
      // Single-use codes still valid today are kept unused: they are for the counter.
      if (rule.coupon.maxRedemptions === 1 && rule.toMs > anchorMs) continue
      if ((this.redeemed[c] ?? 0) >= rule.perCustomerLimit) continue
      if (!audienceMatches(rule.coupon, this.traits)) continue
      let subtotal = 0
      for (const line of lines) {
        if (!rule.applies || rule.applies[line.product]) subtotal += at(catalog.products, line.product, 'chooseCoupons').price * line.qty
      }
      if (subtotal === 0 || subtotal < rule.minSpend) continue
      ;(rule.coupon.stackable ? stackable : single).push(c)
    }
    const chosen: number[] = []
    if (single.length > 0 && rng.chance(0.85)) chosen.push(rng.pick(single))
    if (stackable.length > 0 && rng.chance(0.4)) chosen.push(rng.pick(stackable))
    for (const c of chosen) this.redeemed[c] = (this.redeemed[c] ?? 0) + 1
    return chosen
  }

  private line(product: number): Line {
    const consumable = at(this.world.catalog.styles, at(this.world.catalog.productStyle, product, 'line'), 'line').template.consumable
    return { product, qty: consumable && this.rng.chance(0.25) ? 2 : 1 }
  }

  /** A style from one of the member's interests most of the time, anything now and then. */
  private pickStyle(): number {
    const { catalog } = this.world
    const rng = this.rng
    const group = rng.chance(0.8) ? rng.pick(this.traits.interests) : rng.int(catalog.groupStyles.length)
    const styles = catalog.groupStyles[group]
    return styles && styles.length > 0 ? rng.pick(styles) : rng.int(catalog.styles.length)
  }

  /** A colour at random, in the member's own size when they gave one. */
  private variantOf(styleIndex: number): number {
    const rng = this.rng
    const style = at(this.world.catalog.styles, styleIndex, 'variantOf')
    const sizeCount = style.sizeRun.length
    let size = 0
    if (sizeCount > 1) {
      const sizes = this.traits.sizes
      const wanted = !sizes
        ? undefined
        : style.template.sizes === 'shoes'
          ? sizes.shoes
          : style.template.category[1] === 'ボトムス'
            ? sizes.bottoms
            : sizes.tops
      const own = wanted === undefined ? -1 : style.sizeRun.indexOf(wanted)
      size = own >= 0 && rng.chance(0.92) ? own : rng.int(sizeCount)
    }
    const product = style.products[rng.int(style.variantCount) * sizeCount + size]
    return product ?? rng.pick(style.products)
  }

  private onlineStart(day: number): number {
    const jstHour = 7 + this.rng.weighted(onlineHourWeights)
    return day * DAY_MS + (jstHour - JST_HOURS_FROM_UTC) * HOUR_MS + this.rng.int(3600) * 1000
  }

  private simple(type: 'view' | 'cart' | 'wishlist', channel: Channel, product: number, t: number): ProfileEvent {
    return {
      id: `ev_${this.digits}_${this.seq++}`,
      memberId: this.traits.memberId,
      type,
      channel,
      sku: at(this.world.catalog.products, product, 'simple').sku,
      at: new Date(t).toISOString(),
    }
  }

  private emit(event: ProfileEvent): boolean {
    if (this.events.length >= this.limit) return false
    this.events.push(event)
    return true
  }
}

/** Exactly `count` events of one member, in the order they happened (give or take a session). */
export function memberEvents(world: EventWorld, traits: MemberTraits, count: number): ProfileEvent[] {
  return new MemberStory(world, traits).tell(count)
}
