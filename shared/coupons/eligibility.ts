// Customer-level rules (profile-api.md "Records", Coupon): validity window, audience,
// per-customer limit, max redemptions; the basket plays no part here.
import type { Coupon } from '../records.ts'
import type { CouponContext, CouponWarning, WhyNot } from './types.ts'

/** Why this customer may not use the coupon now, or null when they may. */
export function couponEligibility(coupon: Coupon, context: CouponContext): WhyNot | null {
  const now = context.now.getTime()
  if (now < Date.parse(coupon.validFrom)) return { reason: 'not_started', validFrom: coupon.validFrom }
  if (now >= Date.parse(coupon.validTo)) return { reason: 'expired', validTo: coupon.validTo }

  if (coupon.audience !== undefined) {
    if (context.member === null) return { reason: 'member_only' }
    if (!inAudience(coupon.audience, context.member)) return { reason: 'audience' }
  }

  // An anonymous sale cannot be tied to a customer, so a per-customer limit has nothing to count;
  // a coupon that must be limited per customer needs an audience as well.
  if (coupon.perCustomerLimit !== undefined && context.member !== null) {
    const used = context.redemptions.byMember(coupon.code, context.member.memberId)
    if (used >= coupon.perCustomerLimit) return { reason: 'per_customer_limit', limit: coupon.perCustomerLimit, used }
  }

  if (coupon.maxRedemptions !== undefined) {
    const used = context.redemptions.total(coupon.code)
    // Offline, a single-use code seen redeemed anywhere is refused at once: the server cannot
    // be asked, and letting it through would give the same code away twice.
    if (context.offline && coupon.maxRedemptions === 1 && used > 0) return { reason: 'offline_single_use' }
    if (used >= coupon.maxRedemptions) return { reason: 'max_redemptions', limit: coupon.maxRedemptions, used }
  }
  return null
}

/** Cautions the card shows beside a usable coupon. */
export function couponWarnings(coupon: Coupon, context: CouponContext): CouponWarning[] {
  // What this register knows stops at its last sync: another register may have taken the code since.
  if (context.offline && coupon.maxRedemptions === 1 && context.redemptions.total(coupon.code) === 0) return ['may_be_used_elsewhere']
  return []
}

function inAudience(audience: NonNullable<Coupon['audience']>, member: NonNullable<CouponContext['member']>): boolean {
  return (
    (audience.memberIds ?? []).includes(member.memberId) ||
    (member.tier !== undefined && (audience.tiers ?? []).includes(member.tier)) ||
    (audience.tags ?? []).some((tag) => member.tags.includes(tag))
  )
}
