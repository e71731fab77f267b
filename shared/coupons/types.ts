// The coupon engine's own shapes. The coupon record itself is `Coupon` in ../records.ts
// (profile-api.md "Records"); money is integer yen throughout.

/** Who is buying, when, and what this register knows about past redemptions. */
export type CouponContext = {
  now: Date
  /** null: an anonymous sale. */
  member: { memberId: string; tier?: string; tags: string[] } | null
  /** Redemptions known to this register: from the cache (coupon_redeemed events, any channel) plus sales recorded here. */
  redemptions: CouponRedemptions
  /** True while the register cannot reach the profile service. */
  offline: boolean
}

export type CouponRedemptions = {
  byMember(code: string, memberId: string): number
  total(code: string): number
}

/** One line of the sale being rung up; the line's amount is qty × unitPrice. */
export type BasketLine = { sku: string; qty: number; unitPrice: number; category: string[] }

/** Why a coupon cannot be used now: customer-level reasons first, then basket-level ones. */
export type WhyNot =
  | { reason: 'not_started'; validFrom: string }
  | { reason: 'expired'; validTo: string }
  /** The member matches none of the coupon's tags, tiers or member ids. */
  | { reason: 'audience' }
  /** An anonymous sale, and the coupon has an audience. */
  | { reason: 'member_only' }
  | { reason: 'per_customer_limit'; limit: number; used: number }
  | { reason: 'max_redemptions'; limit: number; used: number }
  /** Offline, and this register already knows a redemption of this single-use coupon. */
  | { reason: 'offline_single_use' }
  | { reason: 'no_matching_lines' }
  | { reason: 'min_spend'; minSpend: number; subtotal: number; shortBy: number }
  /** Another non-stackable coupon is in the chosen combination (or already on the sale). */
  | { reason: 'not_stackable'; with: string }

export type WhyNotReason = WhyNot['reason']

/** Offline, a single-use coupon this register has not seen redeemed: another register may have used it. */
export type CouponWarning = 'may_be_used_elsewhere'

export type CouponStatus = {
  code: string
  title: string
  /** Legal for this customer and this basket, alongside the chosen combination. */
  usable: boolean
  /** In the best combination the card offers. */
  selected: boolean
  whyNot: WhyNot | null
  /** The coupon's discount on this basket on its own; 0 when it does not fit the basket. */
  discountIfAlone: number
  warnings: CouponWarning[]
}

export type DiscountedLine<L extends BasketLine = BasketLine> = L & { discount: number }

export type CouponApplication<L extends BasketLine = BasketLine> = {
  /** The input lines, each with its whole share of all coupon discounts (the Sale line's `discount`). */
  lines: Array<DiscountedLine<L>>
  /** One entry per coupon, in the order applied. */
  discounts: Array<{ code: string; amount: number }>
  /** Σ qty × unitPrice. */
  subtotal: number
  /** Σ (qty × unitPrice − discount), never negative. */
  total: number
}
