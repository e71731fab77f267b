// Why-not and warnings as i18n keys with parameters; the UI owns the wording and the money and
// date formats (e.g. `coupon.whyNot.min_spend` with { shortBy: 2000 } → "needs ¥2,000 more").
import type { CouponWarning, WhyNot } from './types.ts'

export type CouponMessage = { key: string; params: Record<string, string | number> }

export function describeWhyNot(whyNot: WhyNot): CouponMessage {
  const key = `coupon.whyNot.${whyNot.reason}`
  switch (whyNot.reason) {
    case 'not_started':
      return { key, params: { validFrom: whyNot.validFrom } }
    case 'expired':
      return { key, params: { validTo: whyNot.validTo } }
    case 'per_customer_limit':
    case 'max_redemptions':
      return { key, params: { limit: whyNot.limit, used: whyNot.used } }
    case 'min_spend':
      return { key, params: { minSpend: whyNot.minSpend, subtotal: whyNot.subtotal, shortBy: whyNot.shortBy } }
    case 'not_stackable':
      return { key, params: { with: whyNot.with } }
    case 'audience':
    case 'member_only':
    case 'offline_single_use':
    case 'no_matching_lines':
      return { key, params: {} }
  }
}

export function describeWarning(warning: CouponWarning): CouponMessage {
  return { key: `coupon.warning.${warning}`, params: {} }
}
