// Redemptions this register knows: coupon_redeemed events from the feed (any channel) and the
// sales recorded here. The feed carries this store's sales back as events whose orderId is the
// saleId, so a redemption is keyed by (order, code) and never counted twice.
import type { ProfileEvent, Sale } from '../records.ts'
import type { CouponRedemptions } from './types.ts'

type RedemptionEvent = Pick<ProfileEvent, 'id' | 'memberId' | 'type' | 'couponCode' | 'orderId'>
type RecordedSale = Pick<Sale, 'saleId' | 'memberId' | 'coupons'>

export function countRedemptions(events: Iterable<RedemptionEvent>, sales: Iterable<RecordedSale>): CouponRedemptions {
  // (order, code) → memberId, when known (a sale may be anonymous until a member is attached).
  const seen = new Map<string, { code: string; memberId: string | undefined }>()
  const note = (order: string, code: string, memberId: string | undefined): void => {
    const key = `${order}\u0000${code}`
    const known = seen.get(key)
    if (known === undefined) seen.set(key, { code, memberId })
    else if (known.memberId === undefined) known.memberId = memberId
  }
  for (const event of events) {
    if (event.type !== 'coupon_redeemed' || event.couponCode === undefined) continue
    note(event.orderId ?? `event:${event.id}`, event.couponCode, event.memberId)
  }
  for (const sale of sales) for (const code of new Set(sale.coupons)) note(sale.saleId, code, sale.memberId)

  const totals = new Map<string, number>()
  const perMember = new Map<string, number>()
  for (const { code, memberId } of seen.values()) {
    totals.set(code, (totals.get(code) ?? 0) + 1)
    if (memberId !== undefined) perMember.set(`${code}\u0000${memberId}`, (perMember.get(`${code}\u0000${memberId}`) ?? 0) + 1)
  }
  return {
    total: (code) => totals.get(code) ?? 0,
    byMember: (code, memberId) => perMember.get(`${code}\u0000${memberId}`) ?? 0,
  }
}
