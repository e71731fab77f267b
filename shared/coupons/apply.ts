// Coupon arithmetic, so every register and the server agree (profile-api.md): coupons apply
// one after another (the non-stackable one first, then stackable ones in code order), each on
// the lines it applies to as they remain after the coupons before it.
import { strictAssert } from '../errors.ts'
import type { Coupon } from '../records.ts'
import { couponFit, matchingLines } from './fit.ts'
import type { BasketLine, CouponApplication } from './types.ts'

/** Codes compared by UTF-16 code units (JavaScript's default sort), never by locale. */
export function compareCodes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** The coupons in the order they apply: the non-stackable one first, then stackable ones by code. */
export function applicationOrder<C extends Coupon>(coupons: readonly C[]): C[] {
  return [...coupons].sort((a, b) => Number(a.stackable) - Number(b.stackable) || compareCodes(a.code, b.code))
}

/**
 * Applies the coupons to the lines. Every coupon must fit the basket (couponFit), codes must be
 * distinct and at most one coupon may be non-stackable; anything else is a caller's bug and throws.
 */
export function applyCoupons<L extends BasketLine>(coupons: readonly Coupon[], lines: readonly L[]): CouponApplication<L> {
  for (const line of lines) {
    strictAssert(Number.isSafeInteger(line.qty) && line.qty > 0, `applyCoupons: qty of ${line.sku} is not a positive integer`)
    strictAssert(Number.isSafeInteger(line.unitPrice) && line.unitPrice >= 0, `applyCoupons: unitPrice of ${line.sku} is not whole yen`)
  }
  const nonStackable = coupons.filter((coupon) => !coupon.stackable)
  strictAssert(nonStackable.length <= 1, `applyCoupons: at most one non-stackable coupon, got ${nonStackable.map((c) => c.code).join(', ')}`)
  strictAssert(new Set(coupons.map((c) => c.code)).size === coupons.length, 'applyCoupons: a coupon code is given twice')

  const plan = applicationOrder(coupons).map((coupon) => {
    const misfit = couponFit(coupon, lines)
    strictAssert(misfit === null, `applyCoupons: coupon ${coupon.code} does not fit the basket (${misfit?.reason})`)
    return planned(coupon, lines)
  })
  const amounts = lines.map((line) => line.qty * line.unitPrice)
  const { discounts, lineDiscounts } = runPlan(plan, amounts)
  const subtotal = amounts.reduce((sum, a) => sum + a, 0)
  const discounted = lines.map((line, index) => ({ ...line, discount: lineDiscounts[index] ?? 0 }))
  const total = subtotal - discounts.reduce((sum, d) => sum + d.amount, 0)
  return { lines: discounted, discounts, subtotal, total }
}

/** A coupon ready to run: what it takes and from which lines (indexes into the basket). */
export type PlannedCoupon = { code: string; discount: Coupon['discount']; indexes: number[] }

export function planned(coupon: Coupon, lines: readonly BasketLine[]): PlannedCoupon {
  strictAssert(Number.isSafeInteger(coupon.discount.value) && coupon.discount.value >= 0, `planned: discount of ${coupon.code} is not a whole number`)
  return { code: coupon.code, discount: coupon.discount, indexes: matchingLines(coupon, lines) }
}

/** The arithmetic itself, on coupons already in application order and the lines' amounts. */
export function runPlan(plan: readonly PlannedCoupon[], amounts: readonly number[]): { discounts: Array<{ code: string; amount: number }>; lineDiscounts: number[] } {
  const remaining = [...amounts]
  const lineDiscounts = amounts.map(() => 0)
  const discounts: Array<{ code: string; amount: number }> = []
  const shares = amounts.map(() => 0)
  for (const { code, discount, indexes } of plan) {
    let base = 0
    for (const index of indexes) base += remaining[index] ?? 0
    const wanted = discount.type === 'percent' ? floorMulDiv(base, discount.value, 100) : discount.value
    const amount = Math.min(wanted, base)
    shareOut(amount, base, indexes, remaining, shares)
    for (const index of indexes) {
      const share = shares[index] ?? 0
      remaining[index] = (remaining[index] ?? 0) - share
      lineDiscounts[index] = (lineDiscounts[index] ?? 0) + share
    }
    discounts.push({ code, amount })
  }
  return { discounts, lineDiscounts }
}

/**
 * Shares `amount` (≤ Σ amounts) across lines in proportion to their amounts, rounding down; the
 * yen left over go to the line with the largest amount (ties: the first). When that line cannot
 * take them all without going below zero (only with tiny lines, e.g. three ¥1 lines sharing ¥2),
 * the rest goes on to the next largest line, and so on.
 */
export function splitDiscount(amount: number, amounts: readonly number[]): number[] {
  const base = amounts.reduce((sum, a) => sum + a, 0)
  strictAssert(Number.isSafeInteger(amount) && amount >= 0 && amount <= base, `splitDiscount: ${amount} is not within 0..${base}`)
  const shares = amounts.map(() => 0)
  shareOut(
    amount,
    base,
    amounts.map((_, index) => index),
    amounts,
    shares,
  )
  return shares
}

/** splitDiscount over the lines at `indexes`, writing each share into `shares` at the line's index. */
function shareOut(amount: number, base: number, indexes: readonly number[], amounts: readonly number[], shares: number[]): void {
  let left = amount
  for (const index of indexes) {
    const share = amount === 0 ? 0 : floorMulDiv(amount, amounts[index] ?? 0, base)
    shares[index] = share
    left -= share
  }
  // Leftover yen number fewer than the lines; the largest line nearly always takes them all.
  let previous = Infinity
  let previousIndex = -1
  while (left > 0) {
    let largest = -1
    for (const index of indexes) {
      const a = amounts[index] ?? 0
      const after = a < previous || (a === previous && index > previousIndex)
      if (after && (largest === -1 || a > (amounts[largest] ?? 0))) largest = index
    }
    strictAssert(largest !== -1, 'shareOut: no line left to take the remaining yen')
    const take = Math.min(left, (amounts[largest] ?? 0) - (shares[largest] ?? 0))
    shares[largest] = (shares[largest] ?? 0) + take
    left -= take
    previous = amounts[largest] ?? 0
    previousIndex = largest
  }
}

/** ⌊a × b / c⌋ for non-negative integers, exact even past 2^53. */
function floorMulDiv(a: number, b: number, c: number): number {
  const product = a * b
  if (Number.isSafeInteger(product)) return (product - (product % c)) / c
  return Number((BigInt(a) * BigInt(b)) / BigInt(c))
}
