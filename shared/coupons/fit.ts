// Basket-level rules: which lines a coupon applies to, and its minimum spend.
import type { Coupon } from '../records.ts'
import type { BasketLine, WhyNot } from './types.ts'

/**
 * Indexes of the lines the coupon applies to: a line whose sku is listed, or whose category
 * path starts with a listed path. With neither list set, every line. An empty list counts as
 * not set (feeds often send `[]` for "no restriction").
 */
export function matchingLines(coupon: Coupon, lines: readonly BasketLine[]): number[] {
  const skus = coupon.skus ?? []
  const categories = coupon.categories ?? []
  const indexes: number[] = []
  lines.forEach((line, index) => {
    const restricted = skus.length > 0 || categories.length > 0
    if (!restricted || skus.includes(line.sku) || categories.some((path) => startsWith(line.category, path))) indexes.push(index)
  })
  return indexes
}

/** Σ qty × unitPrice over the given lines, before any discount. */
export function linesSubtotal(lines: readonly BasketLine[], indexes: readonly number[]): number {
  let subtotal = 0
  for (const index of indexes) {
    const line = lines[index]
    if (line !== undefined) subtotal += line.qty * line.unitPrice
  }
  return subtotal
}

/** Why the coupon does not apply to this basket, or null when it does. */
export function couponFit(coupon: Coupon, lines: readonly BasketLine[]): WhyNot | null {
  const indexes = matchingLines(coupon, lines)
  if (indexes.length === 0) return { reason: 'no_matching_lines' }
  const subtotal = linesSubtotal(lines, indexes)
  if (coupon.minSpend !== undefined && subtotal < coupon.minSpend) {
    return { reason: 'min_spend', minSpend: coupon.minSpend, subtotal, shortBy: coupon.minSpend - subtotal }
  }
  return null
}

function startsWith(path: readonly string[], prefix: readonly string[]): boolean {
  return prefix.length <= path.length && prefix.every((part, index) => path[index] === part)
}
