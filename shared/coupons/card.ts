// What the customer card shows: every cached coupon with whether it can be used on this sale,
// the best combination selected, and why not for the others. A scanned coupon code goes
// through the same rules (scannedCouponStatus).
import type { Coupon } from '../records.ts'
import { applyCoupons, compareCodes } from './apply.ts'
import { bestCombination } from './best.ts'
import { couponEligibility, couponWarnings } from './eligibility.ts'
import { couponFit } from './fit.ts'
import type { BasketLine, CouponContext, CouponStatus, WhyNot, WhyNotReason } from './types.ts'

/** Usable coupons first (largest discount on its own first), then the others, closest to usable first. */
export function couponsForCard(coupons: readonly Coupon[], context: CouponContext, lines: readonly BasketLine[]): CouponStatus[] {
  const checked = coupons.map((coupon) => {
    const fit = couponFit(coupon, lines)
    return { coupon, fit, whyNot: couponEligibility(coupon, context) ?? fit }
  })
  const best = bestCombination(
    checked.filter((c) => c.whyNot === null).map((c) => c.coupon),
    lines,
  )
  const selected = new Set(best.codes)
  const chosenNonStackable = checked.find((c) => !c.coupon.stackable && selected.has(c.coupon.code))?.coupon.code ?? null

  const statuses = checked.map(({ coupon, fit, whyNot }): CouponStatus => {
    const blocked: WhyNot | null =
      whyNot === null && !coupon.stackable && chosenNonStackable !== null && chosenNonStackable !== coupon.code ? { reason: 'not_stackable', with: chosenNonStackable } : whyNot
    return status(coupon, context, lines, fit, blocked, selected.has(coupon.code))
  })
  return statuses.sort(cardOrder)
}

/**
 * A coupon code scanned at the counter, checked against this customer, this basket and the
 * coupons already on the sale (`applied`): a second non-stackable coupon is refused with the one
 * it clashes with, so the associate can choose which to keep.
 */
export function scannedCouponStatus(coupon: Coupon, context: CouponContext, lines: readonly BasketLine[], applied: readonly Coupon[]): CouponStatus {
  const fit = couponFit(coupon, lines)
  const clash = coupon.stackable ? undefined : applied.find((other) => !other.stackable && other.code !== coupon.code)
  const whyNot: WhyNot | null = couponEligibility(coupon, context) ?? fit ?? (clash === undefined ? null : { reason: 'not_stackable', with: clash.code })
  return status(coupon, context, lines, fit, whyNot, applied.some((other) => other.code === coupon.code))
}

function status(coupon: Coupon, context: CouponContext, lines: readonly BasketLine[], fit: WhyNot | null, whyNot: WhyNot | null, selected: boolean): CouponStatus {
  return {
    code: coupon.code,
    title: coupon.title,
    usable: whyNot === null,
    selected: whyNot === null && selected,
    whyNot,
    discountIfAlone: fit === null ? (applyCoupons([coupon], lines).discounts[0]?.amount ?? 0) : 0,
    warnings: whyNot === null ? couponWarnings(coupon, context) : [],
  }
}

/** Reasons closest to usable first: another coupon is better, then the basket, then the customer. */
const reasonRank: Record<WhyNotReason, number> = {
  not_stackable: 0,
  min_spend: 1,
  no_matching_lines: 2,
  not_started: 3,
  per_customer_limit: 4,
  max_redemptions: 5,
  offline_single_use: 6,
  audience: 7,
  member_only: 8,
  expired: 9,
}

function cardOrder(a: CouponStatus, b: CouponStatus): number {
  if (a.usable !== b.usable) return a.usable ? -1 : 1
  if (a.whyNot === null || b.whyNot === null) {
    return b.discountIfAlone - a.discountIfAlone || Number(b.selected) - Number(a.selected) || compareCodes(a.code, b.code)
  }
  const rank = reasonRank[a.whyNot.reason] - reasonRank[b.whyNot.reason]
  if (rank !== 0) return rank
  if (a.whyNot.reason === 'min_spend' && b.whyNot.reason === 'min_spend') {
    const closer = a.whyNot.shortBy - b.whyNot.shortBy
    if (closer !== 0) return closer
  }
  return b.discountIfAlone - a.discountIfAlone || compareCodes(a.code, b.code)
}
