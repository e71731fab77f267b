// The coupon engine (shared/coupons) over this register's cache: who the customer is, what the
// register knows of each coupon's redemptions (the feed's coupon_redeemed events, online and in
// store, plus anonymous sales recorded here), and whether it is offline.
import { couponEligibility, couponWarnings } from '../../../shared/coupons/eligibility.ts'
import type { CouponContext, CouponRedemptions } from '../../../shared/coupons/types.ts'
import { describeWarning, describeWhyNot } from '../../../shared/coupons/why-not.ts'
import type { Coupon, Customer } from '../../../shared/records.ts'
import type { CardCoupon } from '../../../shared/views.ts'
import { prepared, type ReadableDB } from '../db/handle.ts'

/**
 * Redemptions as this register knows them. A member's sale recorded here is in the events too
 * (under the feed's ids), so only anonymous local sales are added from the sales table.
 */
export function cachedRedemptions(db: ReadableDB): CouponRedemptions {
  return {
    byMember: (code, memberId) =>
      prepared<[string, string], { n: number }>(
        db,
        `SELECT count(DISTINCT coalesce(order_id, id)) AS n FROM events WHERE coupon_code = ? AND member_id = ? AND type = 'coupon_redeemed'`,
      ).get(code, memberId)!.n,
    total: (code) =>
      prepared<[string], { n: number }>(
        db,
        `SELECT count(DISTINCT coalesce(order_id, id)) AS n FROM events WHERE coupon_code = ? AND type = 'coupon_redeemed'`,
      ).get(code)!.n +
      prepared<[string], { n: number }>(
        db,
        `SELECT count(*) AS n FROM sales, json_each(sales.body, '$.coupons') AS c WHERE sales.member_id IS NULL AND c.value = ?`,
      ).get(code)!.n,
  }
}

export function couponContextFor(db: ReadableDB, customer: Customer | null, now: Date, offline: boolean): CouponContext {
  return {
    now,
    member: customer ? { memberId: customer.memberId, tags: customer.tags, ...(customer.tier ? { tier: customer.tier } : {}) } : null,
    redemptions: cachedRedemptions(db),
    offline,
  }
}

export function allCoupons(db: ReadableDB): Coupon[] {
  return prepared<[], { record: string }>(db, 'SELECT record FROM coupons ORDER BY code')
    .all()
    .map((row) => JSON.parse(row.record) as Coupon)
}

/**
 * The coupons the card lists for a customer before anything is rung up: those they may use now,
 * then those they may not, with why. Coupons for other audiences, and ones long expired or not
 * started for weeks, are left out: they are noise at the counter.
 */
export function couponsForCustomer(db: ReadableDB, context: CouponContext, limit = 12): CardCoupon[] {
  const soon = context.now.getTime() + 14 * 24 * 3600 * 1000
  const recent = context.now.getTime() - 14 * 24 * 3600 * 1000
  const out: CardCoupon[] = []
  for (const coupon of allCoupons(db)) {
    const whyNot = couponEligibility(coupon, context)
    if (whyNot?.reason === 'audience') continue
    if (whyNot?.reason === 'expired' && Date.parse(coupon.validTo) < recent) continue
    if (whyNot?.reason === 'not_started' && Date.parse(coupon.validFrom) > soon) continue
    out.push({
      code: coupon.code,
      title: coupon.title,
      discount: coupon.discount,
      minSpendYen: coupon.minSpend ?? null,
      validTo: coupon.validTo,
      stackable: coupon.stackable,
      usable: whyNot === null,
      whyNot: whyNot ? describeWhyNot(whyNot) : null,
      warnings: couponWarnings(coupon, context).map(describeWarning),
    })
  }
  out.sort((a, b) => Number(b.usable) - Number(a.usable) || a.validTo.localeCompare(b.validTo))
  return out.slice(0, limit)
}
