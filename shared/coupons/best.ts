// The combination the card offers: at most one non-stackable coupon, any stackable ones, the
// largest total discount.
import { strictAssert } from '../errors.ts'
import type { Coupon } from '../records.ts'
import { applicationOrder, compareCodes, planned, runPlan } from './apply.ts'
import type { PlannedCoupon } from './apply.ts'
import { couponFit } from './fit.ts'
import type { BasketLine } from './types.ts'

/** Up to this many stackable candidates every subset is tried; past it, a local search. */
const EXHAUSTIVE_STACKABLES = 8

export type Combination = { codes: string[]; discount: number }

/**
 * The legal combination with the largest total discount; ties: fewer coupons, then the codes
 * (in application order) compared one by one. Candidates should already be eligible for the
 * customer; one that does not fit the basket is left out. `codes` come in application order.
 */
export function bestCombination(candidates: readonly Coupon[], lines: readonly BasketLine[]): Combination {
  strictAssert(new Set(candidates.map((c) => c.code)).size === candidates.length, 'bestCombination: a coupon code is given twice')
  const fitting = applicationOrder(candidates.filter((coupon) => couponFit(coupon, lines) === null))
  const stackables = fitting.filter((coupon) => coupon.stackable).map((coupon) => planned(coupon, lines))
  const leads: Array<PlannedCoupon | null> = [null, ...fitting.filter((coupon) => !coupon.stackable).map((coupon) => planned(coupon, lines))]
  const amounts = lines.map((line) => line.qty * line.unitPrice)

  let best: Combination = { codes: [], discount: 0 }
  for (const lead of leads) {
    const evaluate = (chosen: readonly PlannedCoupon[]): Combination => combination(lead === null ? chosen : [lead, ...chosen], amounts)
    const found = stackables.length <= EXHAUSTIVE_STACKABLES ? exhaustive(stackables, evaluate) : localSearch(stackables, evaluate)
    if (better(found, best)) best = found
  }
  return best
}

/** `plan` in application order: the lead (non-stackable) first, then the stackables by code. */
function combination(plan: readonly PlannedCoupon[], amounts: readonly number[]): Combination {
  const { discounts } = runPlan(plan, amounts)
  return { codes: discounts.map((d) => d.code), discount: discounts.reduce((sum, d) => sum + d.amount, 0) }
}

function exhaustive(stackables: readonly PlannedCoupon[], evaluate: (chosen: readonly PlannedCoupon[]) => Combination): Combination {
  let best = evaluate([])
  for (let mask = 1; mask < 1 << stackables.length; mask++) {
    const found = evaluate(stackables.filter((_, index) => (mask & (1 << index)) !== 0))
    if (better(found, best)) best = found
  }
  return best
}

/** Start from every stackable coupon and drop the one whose removal helps most, while any does. */
function localSearch(stackables: readonly PlannedCoupon[], evaluate: (chosen: readonly PlannedCoupon[]) => Combination): Combination {
  let chosen = [...stackables]
  let best = evaluate(chosen)
  for (;;) {
    let step: { chosen: PlannedCoupon[]; found: Combination } | null = null
    for (let index = 0; index < chosen.length; index++) {
      const without = chosen.filter((_, i) => i !== index)
      const found = evaluate(without)
      if (better(found, step?.found ?? best)) step = { chosen: without, found }
    }
    if (step === null) return best
    chosen = step.chosen
    best = step.found
  }
}

function better(a: Combination, b: Combination): boolean {
  if (a.discount !== b.discount) return a.discount > b.discount
  if (a.codes.length !== b.codes.length) return a.codes.length < b.codes.length
  for (let index = 0; index < a.codes.length; index++) {
    const order = compareCodes(a.codes[index] ?? '', b.codes[index] ?? '')
    if (order !== 0) return order < 0
  }
  return false
}
