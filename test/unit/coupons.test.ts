// The coupon engine against profile-api.md's coupon rules and arithmetic: each rule, each
// why-not, worked examples of the arithmetic, and a seeded property test over random baskets.
import { describe, expect, it } from 'vitest'
import { AppError } from '../../shared/errors.ts'
import type { Coupon } from '../../shared/records.ts'
import { applicationOrder, applyCoupons, splitDiscount } from '../../shared/coupons/apply.ts'
import { bestCombination } from '../../shared/coupons/best.ts'
import { couponsForCard, scannedCouponStatus } from '../../shared/coupons/card.ts'
import { couponEligibility, couponWarnings } from '../../shared/coupons/eligibility.ts'
import { couponFit, matchingLines } from '../../shared/coupons/fit.ts'
import { countRedemptions } from '../../shared/coupons/redemptions.ts'
import type { BasketLine, CouponContext, WhyNot } from '../../shared/coupons/types.ts'
import { describeWarning, describeWhyNot } from '../../shared/coupons/why-not.ts'
import { saleTotal } from '../../shared/sales/totals.ts'
import { prng } from '../support/random.ts'

const NOW = new Date('2026-05-10T03:00:00Z')

function coupon(code: string, fields: Partial<Coupon> = {}): Coupon {
  return {
    code,
    title: `Coupon ${code}`,
    discount: { type: 'amount', value: 500 },
    validFrom: '2026-05-01T00:00:00Z',
    validTo: '2026-06-01T00:00:00Z',
    stackable: true,
    ...fields,
  }
}

const percent = (value: number): Coupon['discount'] => ({ type: 'percent', value })
const amount = (value: number): Coupon['discount'] => ({ type: 'amount', value })

function line(sku: string, unitPrice: number, qty = 1, category: string[] = ['Misc']): BasketLine {
  return { sku, qty, unitPrice, category }
}

/** Redemptions as this register knows them: total and per member, by code. */
function known(totals: Record<string, number> = {}, byMember: Record<string, Record<string, number>> = {}): CouponContext['redemptions'] {
  return { total: (code) => totals[code] ?? 0, byMember: (code, memberId) => byMember[code]?.[memberId] ?? 0 }
}

function context(fields: Partial<CouponContext> = {}): CouponContext {
  return { now: NOW, member: { memberId: 'M0000001', tier: 'gold', tags: ['runner'] }, redemptions: known(), offline: false, ...fields }
}

const anonymous = (fields: Partial<CouponContext> = {}): CouponContext => context({ member: null, ...fields })

const shoes = line('SH-1', 12_000, 1, ['Shoes', 'Running'])
const tee = line('TS-1', 3_000, 2, ['Tops', 'T-shirts'])
const socks = line('SO-1', 800, 3, ['Accessories', 'Socks'])

describe('couponEligibility: validity window', () => {
  it('is valid when validFrom <= now < validTo', () => {
    expect(couponEligibility(coupon('W'), context())).toBeNull()
    expect(couponEligibility(coupon('W', { validFrom: NOW.toISOString() }), context())).toBeNull()
  })

  it('not_started before validFrom', () => {
    const c = coupon('W', { validFrom: '2026-05-10T03:00:00.001Z' })
    expect(couponEligibility(c, context())).toEqual({ reason: 'not_started', validFrom: '2026-05-10T03:00:00.001Z' })
  })

  it('expired at validTo (the end is exclusive)', () => {
    const c = coupon('W', { validTo: NOW.toISOString() })
    expect(couponEligibility(c, context())).toEqual({ reason: 'expired', validTo: NOW.toISOString() })
  })

  it('compares instants, not strings (a +09:00 offset)', () => {
    // 12:00+09:00 is 03:00Z: exactly now, so the coupon has just started.
    expect(couponEligibility(coupon('W', { validFrom: '2026-05-10T12:00:00+09:00' }), context())).toBeNull()
    expect(couponEligibility(coupon('W', { validTo: '2026-05-10T12:00:00+09:00' }), context())).toEqual({ reason: 'expired', validTo: '2026-05-10T12:00:00+09:00' })
  })
})

describe('couponEligibility: audience', () => {
  it('absent: everyone, anonymous sales included', () => {
    expect(couponEligibility(coupon('ALL'), anonymous())).toBeNull()
    expect(couponEligibility(coupon('ALL'), context())).toBeNull()
  })

  it('present: an anonymous sale cannot use it (member_only)', () => {
    expect(couponEligibility(coupon('VIP', { audience: { tags: ['vip'] } }), anonymous())).toEqual({ reason: 'member_only' })
  })

  it('matches any listed tag, tier or member id', () => {
    const member = { memberId: 'M0000001', tier: 'gold', tags: ['runner', 'vip'] }
    expect(couponEligibility(coupon('T', { audience: { tags: ['vip', 'golfer'] } }), context({ member }))).toBeNull()
    expect(couponEligibility(coupon('R', { audience: { tiers: ['gold'] } }), context({ member }))).toBeNull()
    expect(couponEligibility(coupon('I', { audience: { memberIds: ['M0000001'] } }), context({ member }))).toBeNull()
    expect(couponEligibility(coupon('X', { audience: { tags: ['golfer'], tiers: ['silver'], memberIds: ['M0000001'] } }), context({ member }))).toBeNull()
  })

  it('a member matching nothing listed: audience', () => {
    const member = { memberId: 'M0000002', tags: ['runner'] }
    expect(couponEligibility(coupon('X', { audience: { tags: ['golfer'], tiers: ['gold'], memberIds: ['M0000001'] } }), context({ member }))).toEqual({
      reason: 'audience',
    })
    // A member without a tier does not match a tier list.
    expect(couponEligibility(coupon('R', { audience: { tiers: ['gold'] } }), context({ member }))).toEqual({ reason: 'audience' })
  })

  it('an audience listing nobody admits nobody', () => {
    expect(couponEligibility(coupon('E', { audience: {} }), context())).toEqual({ reason: 'audience' })
  })
})

describe('couponEligibility: per-customer limit', () => {
  const limited = coupon('ONCE-EACH', { perCustomerLimit: 2 })

  it('refuses a member who reached it, counting every channel together', () => {
    const redemptions = countRedemptions(
      [
        { id: 'ev1', memberId: 'M0000001', type: 'coupon_redeemed', couponCode: 'ONCE-EACH', orderId: 'web-1' },
        { id: 'ev2', memberId: 'M0000002', type: 'coupon_redeemed', couponCode: 'ONCE-EACH', orderId: 'app-9' },
      ],
      [{ saleId: 'sale-1', memberId: 'M0000001', coupons: ['ONCE-EACH'] }],
    )
    expect(couponEligibility(limited, context({ redemptions }))).toEqual({ reason: 'per_customer_limit', limit: 2, used: 2 })
    expect(couponEligibility(limited, context({ member: { memberId: 'M0000002', tags: [] }, redemptions }))).toBeNull()
  })

  it('allows a member below it', () => {
    expect(couponEligibility(limited, context({ redemptions: known({ 'ONCE-EACH': 5 }, { 'ONCE-EACH': { M0000001: 1 } }) }))).toBeNull()
  })

  it('has nothing to count on an anonymous sale', () => {
    expect(couponEligibility(limited, anonymous({ redemptions: known({ 'ONCE-EACH': 50 }) }))).toBeNull()
  })
})

describe('countRedemptions', () => {
  it('counts a sale of this register once when the feed brings it back', () => {
    const redemptions = countRedemptions(
      [
        { id: 'sale-1:coupon:C', memberId: 'M1', type: 'coupon_redeemed', couponCode: 'C', orderId: 'sale-1' },
        { id: 'sale-1:coupon:C', memberId: 'M1', type: 'coupon_redeemed', couponCode: 'C', orderId: 'sale-1' },
        { id: 'web-7', memberId: 'M1', type: 'coupon_redeemed', couponCode: 'C' },
        { id: 'p1', memberId: 'M1', type: 'purchase', orderId: 'sale-1' },
      ],
      [
        { saleId: 'sale-1', memberId: 'M1', coupons: ['C'] },
        { saleId: 'sale-2', coupons: ['C', 'D'] },
      ],
    )
    expect(redemptions.total('C')).toBe(3)
    expect(redemptions.byMember('C', 'M1')).toBe(2)
    expect(redemptions.total('D')).toBe(1)
    expect(redemptions.byMember('D', 'M1')).toBe(0)
    expect(redemptions.total('nope')).toBe(0)
  })

  it('takes the member of an anonymous local sale from the feed (attached later)', () => {
    const redemptions = countRedemptions(
      [{ id: 'sale-3:coupon:C', memberId: 'M9', type: 'coupon_redeemed', couponCode: 'C', orderId: 'sale-3' }],
      [{ saleId: 'sale-3', coupons: ['C'] }],
    )
    expect(redemptions.total('C')).toBe(1)
    expect(redemptions.byMember('C', 'M9')).toBe(1)
  })
})

describe('couponEligibility: max redemptions', () => {
  it('online: refused once the known total reaches it', () => {
    const c = coupon('FIRST100', { maxRedemptions: 100 })
    expect(couponEligibility(c, context({ redemptions: known({ FIRST100: 99 }) }))).toBeNull()
    expect(couponEligibility(c, context({ redemptions: known({ FIRST100: 100 }) }))).toEqual({ reason: 'max_redemptions', limit: 100, used: 100 })
  })

  it('online: a single-use code already used anywhere', () => {
    const c = coupon('GIFT-1', { maxRedemptions: 1 })
    expect(couponEligibility(c, context({ redemptions: known({ 'GIFT-1': 1 }) }))).toEqual({ reason: 'max_redemptions', limit: 1, used: 1 })
    expect(couponWarnings(c, context())).toEqual([])
  })

  it('offline: a single-use code this register knows redeemed is refused at once', () => {
    const c = coupon('GIFT-1', { maxRedemptions: 1 })
    expect(couponEligibility(c, context({ offline: true, redemptions: known({ 'GIFT-1': 1 }) }))).toEqual({ reason: 'offline_single_use' })
  })

  it('offline: a single-use code not known redeemed stays usable, with a warning', () => {
    const c = coupon('GIFT-1', { maxRedemptions: 1 })
    expect(couponEligibility(c, context({ offline: true }))).toBeNull()
    expect(couponWarnings(c, context({ offline: true }))).toEqual(['may_be_used_elsewhere'])
    const [status] = couponsForCard([c], context({ offline: true }), [shoes])
    expect(status).toMatchObject({ code: 'GIFT-1', usable: true, whyNot: null, warnings: ['may_be_used_elsewhere'] })
  })

  it('offline: a multi-use code is enforced with what this register knows, without a warning', () => {
    const c = coupon('FIRST100', { maxRedemptions: 100 })
    expect(couponEligibility(c, context({ offline: true, redemptions: known({ FIRST100: 100 }) }))).toEqual({ reason: 'max_redemptions', limit: 100, used: 100 })
    expect(couponWarnings(c, context({ offline: true }))).toEqual([])
  })

  it('checks the window, then the audience, then the limits', () => {
    const c = coupon('ALL', { validTo: '2026-05-01T00:00:00Z', audience: { tags: ['vip'] }, maxRedemptions: 1 })
    expect(couponEligibility(c, anonymous({ redemptions: known({ ALL: 1 }) }))?.reason).toBe('expired')
    expect(couponEligibility({ ...c, validTo: '2026-06-01T00:00:00Z' }, anonymous({ redemptions: known({ ALL: 1 }) }))?.reason).toBe('member_only')
  })
})

describe('couponFit: which lines, min spend', () => {
  it('neither skus nor categories: every line (an empty list counts as not set)', () => {
    expect(matchingLines(coupon('ALL'), [shoes, tee, socks])).toEqual([0, 1, 2])
    expect(matchingLines(coupon('ALL', { skus: [], categories: [] }), [shoes, tee, socks])).toEqual([0, 1, 2])
  })

  it('a category path matches a product whose path starts with it, element by element', () => {
    const c = coupon('SHOES', { categories: [['Shoes']] })
    const lines = [shoes, line('OUT', 300, 1, ['ShoesOutlet']), line('X', 300, 1, ['Tops', 'Shoes']), line('Y', 300, 1, ['Shoes'])]
    expect(matchingLines(c, lines)).toEqual([0, 3])
    expect(matchingLines(coupon('RUN', { categories: [['Shoes', 'Running']] }), lines)).toEqual([0])
  })

  it('skus or categories: a line matching either', () => {
    const c = coupon('MIX', { skus: ['SO-1'], categories: [['Shoes']] })
    expect(matchingLines(c, [shoes, tee, socks])).toEqual([0, 2])
  })

  it('no_matching_lines', () => {
    expect(couponFit(coupon('S', { skus: ['NOPE'] }), [shoes, tee])).toEqual({ reason: 'no_matching_lines' })
    expect(couponFit(coupon('ALL'), [])).toEqual({ reason: 'no_matching_lines' })
  })

  it('min_spend on the subtotal of the lines it applies to, with how much is missing', () => {
    // Tops: 2 × ¥3,000 = ¥6,000; the ¥12,000 shoes do not count towards a tops coupon.
    const c = coupon('TOPS8000', { categories: [['Tops']], minSpend: 8_000 })
    expect(couponFit(c, [shoes, tee])).toEqual({ reason: 'min_spend', minSpend: 8_000, subtotal: 6_000, shortBy: 2_000 })
    expect(couponFit(c, [shoes, { ...tee, qty: 3 }])).toBeNull()
    expect(couponFit({ ...c, minSpend: 6_000 }, [tee])).toBeNull()
  })

  it('min spend is measured before discounts', () => {
    // The non-stackable ¥2,000 brings the lines to ¥4,000, but the ¥5,000 minimum was met before it.
    const lines = [line('A', 5_000), line('B', 1_000)]
    const result = applyCoupons([coupon('NS', { stackable: false, discount: amount(2_000) }), coupon('MIN', { minSpend: 6_000, discount: percent(10) })], lines)
    expect(result.discounts).toEqual([
      { code: 'NS', amount: 2_000 },
      { code: 'MIN', amount: 400 },
    ])
  })
})

describe('applyCoupons: arithmetic', () => {
  it('a percent discount is rounded down to whole yen', () => {
    const result = applyCoupons([coupon('P10', { discount: percent(10) })], [line('A', 1_999)])
    expect(result.discounts).toEqual([{ code: 'P10', amount: 199 }])
    expect(result.lines[0]?.discount).toBe(199)
    expect(result).toMatchObject({ subtotal: 1_999, total: 1_800 })
  })

  it('shares the discount in proportion, rounding down, the rest to the largest line', () => {
    // ¥1,000 over ¥3,000 / ¥2,000 / ¥1,000: 500, 333.3, 166.6 → 500, 333, 166, and the
    // missing yen goes to the ¥3,000 line.
    const result = applyCoupons([coupon('A1000', { discount: amount(1_000) })], [line('S', 1_000), line('L', 1_000, 3), line('M', 2_000)])
    expect(result.lines.map((l) => l.discount)).toEqual([166, 501, 333])
    expect(result.total).toBe(5_000)
  })

  it('ties for the largest line: the first such line takes the remaining yen', () => {
    // ¥999 over ¥2,000 / ¥2,000 / ¥1,000: 399.6, 399.6, 199.8 → 399, 399, 199 and 2 yen left.
    const result = applyCoupons([coupon('A999', { discount: amount(999) })], [line('X', 2_000), line('Y', 1_000, 2), line('Z', 1_000)])
    expect(result.lines.map((l) => l.discount)).toEqual([401, 399, 199])
  })

  it('an amount discount is capped at what remains of its lines', () => {
    const lines = [line('SO-1', 800, 3, ['Accessories', 'Socks']), line('SH-1', 12_000)]
    const alone = applyCoupons([coupon('SOCKS5000', { skus: ['SO-1'], discount: amount(5_000) })], lines)
    expect(alone.discounts).toEqual([{ code: 'SOCKS5000', amount: 2_400 }])
    expect(alone.lines.map((l) => l.discount)).toEqual([2_400, 0])
    // After a non-stackable 50 % on the socks only ¥1,200 of them remain.
    const after = applyCoupons(
      [coupon('SOCKS5000', { skus: ['SO-1'], discount: amount(5_000) }), coupon('HALF', { stackable: false, skus: ['SO-1'], discount: percent(50) })],
      lines,
    )
    expect(after.discounts).toEqual([
      { code: 'HALF', amount: 1_200 },
      { code: 'SOCKS5000', amount: 1_200 },
    ])
    expect(after.lines.map((l) => l.discount)).toEqual([2_400, 0])
    expect(after.total).toBe(12_000)
  })

  it('a percent above 100 takes the lines to zero, never below', () => {
    const result = applyCoupons([coupon('P150', { discount: percent(150) })], [line('A', 999)])
    expect(result.discounts).toEqual([{ code: 'P150', amount: 999 }])
    expect(result.total).toBe(0)
  })

  it('a stackable percent after a non-stackable amount, on what remains', () => {
    // 1 × ¥5,980 + 2 × ¥1,490 = ¥8,960.
    // ZZZ1000 (non-stackable, first although its code sorts last): 667.4 / 332.6 → 667 / 332, +1 to
    // the shoes → 668 / 332; ¥7,960 remains. AAA15: ⌊7,960 × 15 %⌋ = 1,194 → 796.8 / 397.2 →
    // 796 / 397, +1 to the shoes → 797 / 397.
    const lines = [line('SH-2', 5_980, 1, ['Shoes']), line('TS-2', 1_490, 2, ['Tops'])]
    const result = applyCoupons([coupon('AAA15', { discount: percent(15) }), coupon('ZZZ1000', { stackable: false, discount: amount(1_000) })], lines)
    expect(result.discounts).toEqual([
      { code: 'ZZZ1000', amount: 1_000 },
      { code: 'AAA15', amount: 1_194 },
    ])
    expect(result.lines.map((l) => l.discount)).toEqual([668 + 797, 332 + 397])
    expect(result).toMatchObject({ subtotal: 8_960, total: 6_766 })
    expect(saleTotal(result.lines)).toBe(6_766)
  })

  it('stackable coupons apply in code order', () => {
    const coupons = [coupon('B10', { discount: percent(10) }), coupon('A500', { discount: amount(500) }), coupon('C-NS', { stackable: false, discount: amount(100) })]
    expect(applicationOrder(coupons).map((c) => c.code)).toEqual(['C-NS', 'A500', 'B10'])
    // 10,000 − 100 − 500 = 9,400, then 10 % = 940.
    expect(applyCoupons(coupons, [line('A', 10_000)]).discounts).toEqual([
      { code: 'C-NS', amount: 100 },
      { code: 'A500', amount: 500 },
      { code: 'B10', amount: 940 },
    ])
    // Code order is by code unit, not locale: 'Z' sorts before 'a'.
    expect(applicationOrder([coupon('a'), coupon('Z')]).map((c) => c.code)).toEqual(['Z', 'a'])
  })

  it('a line covered by several coupons carries its whole share of all of them', () => {
    const result = applyCoupons([coupon('ALL10', { discount: percent(10) }), coupon('SHOES1000', { categories: [['Shoes']], discount: amount(1_000) })], [shoes, tee])
    // ALL10: ⌊18,000 × 10 %⌋ = 1,800 → 1,200 / 600. SHOES1000 on the shoes: 1,000.
    expect(result.lines.map((l) => l.discount)).toEqual([2_200, 600])
    expect(result.total).toBe(18_000 - 2_800)
  })

  it('keeps the caller’s line fields', () => {
    const result = applyCoupons([coupon('A')], [{ ...line('A', 1_000), name: 'Socks' }])
    expect(result.lines[0]).toEqual({ sku: 'A', qty: 1, unitPrice: 1_000, category: ['Misc'], name: 'Socks', discount: 500 })
  })

  it('splitDiscount: when the largest line cannot take the remaining yen, the next one does', () => {
    expect(splitDiscount(2, [1, 1, 1])).toEqual([1, 1, 0])
    expect(splitDiscount(0, [0, 0])).toEqual([0, 0])
    expect(splitDiscount(7, [0, 10, 0])).toEqual([0, 7, 0])
  })

  it('refuses what the engine should never be given', () => {
    const lines = [line('A', 1_000)]
    expect(() => applyCoupons([coupon('N1', { stackable: false }), coupon('N2', { stackable: false })], lines)).toThrow(/at most one non-stackable/)
    expect(() => applyCoupons([coupon('A'), coupon('A')], lines)).toThrow(/twice/)
    expect(() => applyCoupons([coupon('S', { skus: ['NOPE'] })], lines)).toThrow(/does not fit/)
    expect(() => applyCoupons([coupon('A')], [line('A', 10.5)])).toThrow(AppError)
    expect(() => applyCoupons([coupon('A')], [line('A', 100, 0)])).toThrow(/qty/)
  })
})

describe('bestCombination', () => {
  const lines = [shoes, tee, socks] // ¥12,000 + ¥6,000 + ¥2,400 = ¥20,400

  it('two non-stackables: the better one plus every stackable that helps', () => {
    const candidates = [
      coupon('NS-A', { stackable: false, discount: amount(1_000) }),
      coupon('NS-B', { stackable: false, discount: percent(10) }), // 2,040: better
      coupon('ST-1', { discount: amount(300) }),
      coupon('ST-2', { categories: [['Tops']], discount: percent(5) }),
    ]
    const best = bestCombination(candidates, lines)
    expect(best.codes).toEqual(['NS-B', 'ST-1', 'ST-2'])
    expect(best.discount).toBe(applyCoupons(candidates.slice(1), lines).discounts.reduce((s, d) => s + d.amount, 0))
  })

  it('no coupons: nothing', () => {
    expect(bestCombination([], lines)).toEqual({ codes: [], discount: 0 })
  })

  it('leaves out a stackable that adds nothing (fewer coupons on a tie)', () => {
    const best = bestCombination([coupon('ST-0', { discount: percent(0) }), coupon('ST-1', { discount: amount(300) })], lines)
    expect(best).toEqual({ codes: ['ST-1'], discount: 300 })
  })

  it('equal non-stackables: the first by code', () => {
    expect(bestCombination([coupon('NS-B', { stackable: false }), coupon('NS-A', { stackable: false })], lines)).toEqual({ codes: ['NS-A'], discount: 500 })
  })

  it('leaves out a candidate that does not fit the basket', () => {
    expect(bestCombination([coupon('BIG', { minSpend: 50_000, discount: amount(9_000) }), coupon('ST-1')], lines)).toEqual({ codes: ['ST-1'], discount: 500 })
  })

  it('the non-stackable that wins may be the one that leaves the stackables more room', () => {
    // Lines ¥1,000. NS-BIG ¥900 leaves ¥100 for the ¥500 stackable (total 1,000); NS-SMALL ¥600
    // leaves ¥400 (total 1,000 too); the tie goes to the earlier code, NS-BIG.
    const best = bestCombination(
      [coupon('NS-SMALL', { stackable: false, discount: amount(600) }), coupon('NS-BIG', { stackable: false, discount: amount(900) }), coupon('ST', { discount: amount(500) })],
      [line('A', 1_000)],
    )
    expect(best).toEqual({ codes: ['NS-BIG', 'ST'], discount: 1_000 })
  })

  it('many stackables (past the exhaustive search of 8) still reach every helpful one', () => {
    const stackables = Array.from({ length: 14 }, (_, i) => coupon(`ST-${String(i).padStart(2, '0')}`, { discount: amount(100) }))
    const best = bestCombination([...stackables, coupon('ST-ZERO', { discount: percent(0) }), coupon('NS', { stackable: false, discount: percent(10) })], lines)
    expect(best.codes).toEqual(['NS', ...stackables.map((c) => c.code)])
    expect(best.discount).toBe(2_040 + 1_400)
  })
})

describe('couponsForCard', () => {
  const lines = [shoes, tee] // ¥18,000
  const coupons = [
    coupon('EXPIRED', { validTo: '2026-05-01T00:00:00Z' }),
    coupon('NS-10', { stackable: false, discount: percent(10) }), // 1,800
    coupon('NS-1000', { stackable: false, discount: amount(1_000) }),
    coupon('TOPS', { categories: [['Tops']], minSpend: 8_000, discount: amount(800) }),
    coupon('ST-300', { discount: amount(300) }),
    coupon('KIDS', { categories: [['Kids']] }),
    coupon('VIP', { audience: { tags: ['vip'] } }),
  ]

  it('usable first by discount, then the others with why not', () => {
    const card = couponsForCard(coupons, context(), lines)
    expect(card.map((s) => [s.code, s.usable, s.selected, s.whyNot?.reason ?? null, s.discountIfAlone])).toEqual([
      ['NS-10', true, true, null, 1_800],
      ['ST-300', true, true, null, 300],
      ['NS-1000', false, false, 'not_stackable', 1_000],
      ['TOPS', false, false, 'min_spend', 0],
      ['KIDS', false, false, 'no_matching_lines', 0],
      ['VIP', false, false, 'audience', 500],
      ['EXPIRED', false, false, 'expired', 500],
    ])
    expect(card.find((s) => s.code === 'NS-1000')?.whyNot).toEqual({ reason: 'not_stackable', with: 'NS-10' })
    expect(card.find((s) => s.code === 'TOPS')?.whyNot).toEqual({ reason: 'min_spend', minSpend: 8_000, subtotal: 6_000, shortBy: 2_000 })
  })

  it('an anonymous sale: coupons with an audience are member_only', () => {
    const card = couponsForCard(coupons, anonymous(), lines)
    expect(card.find((s) => s.code === 'VIP')?.whyNot).toEqual({ reason: 'member_only' })
    expect(card.find((s) => s.code === 'NS-10')?.selected).toBe(true)
  })

  it('the selected coupons add up to the best combination', () => {
    const card = couponsForCard(coupons, context(), lines)
    const selected = coupons.filter((c) => card.find((s) => s.code === c.code)?.selected)
    expect(applyCoupons(selected, lines).total).toBe(18_000 - 1_800 - 300)
  })

  it('an empty basket: customer reasons still show, the rest need lines', () => {
    const card = couponsForCard([coupon('A'), coupon('VIP', { audience: { tags: ['vip'] } })], context(), [])
    expect(card.map((s) => s.whyNot?.reason)).toEqual(['no_matching_lines', 'audience'])
  })
})

describe('scannedCouponStatus: a scanned code goes through the same rules', () => {
  const lines = [shoes, tee]

  it('usable on its own', () => {
    expect(scannedCouponStatus(coupon('ST-300', { discount: amount(300) }), context(), lines, [])).toEqual({
      code: 'ST-300',
      title: 'Coupon ST-300',
      usable: true,
      selected: false,
      whyNot: null,
      discountIfAlone: 300,
      warnings: [],
    })
  })

  it('refused for the customer or the basket like any other coupon', () => {
    expect(scannedCouponStatus(coupon('VIP', { audience: { tags: ['vip'] } }), anonymous(), lines, []).whyNot).toEqual({ reason: 'member_only' })
    expect(scannedCouponStatus(coupon('BIG', { minSpend: 20_000 }), context(), lines, []).whyNot).toEqual({
      reason: 'min_spend',
      minSpend: 20_000,
      subtotal: 18_000,
      shortBy: 2_000,
    })
    expect(scannedCouponStatus(coupon('G', { maxRedemptions: 1 }), context({ offline: true, redemptions: known({ G: 1 }) }), lines, []).whyNot).toEqual({
      reason: 'offline_single_use',
    })
  })

  it('a second non-stackable clashes with the one on the sale; a stackable does not', () => {
    const onSale = [coupon('NS-10', { stackable: false, discount: percent(10) })]
    expect(scannedCouponStatus(coupon('NS-1000', { stackable: false }), context(), lines, onSale).whyNot).toEqual({ reason: 'not_stackable', with: 'NS-10' })
    expect(scannedCouponStatus(coupon('ST'), context(), lines, onSale).usable).toBe(true)
    expect(scannedCouponStatus(onSale[0] as Coupon, context(), lines, onSale)).toMatchObject({ usable: true, selected: true })
  })

  it('offline single-use not known redeemed: usable, with the warning', () => {
    expect(scannedCouponStatus(coupon('G', { maxRedemptions: 1 }), context({ offline: true }), lines, [])).toMatchObject({ usable: true, warnings: ['may_be_used_elsewhere'] })
  })
})

describe('describeWhyNot', () => {
  it.each<[WhyNot, string, Record<string, string | number>]>([
    [{ reason: 'not_started', validFrom: '2026-06-01T00:00:00Z' }, 'coupon.whyNot.not_started', { validFrom: '2026-06-01T00:00:00Z' }],
    [{ reason: 'expired', validTo: '2026-05-01T00:00:00Z' }, 'coupon.whyNot.expired', { validTo: '2026-05-01T00:00:00Z' }],
    [{ reason: 'audience' }, 'coupon.whyNot.audience', {}],
    [{ reason: 'member_only' }, 'coupon.whyNot.member_only', {}],
    [{ reason: 'per_customer_limit', limit: 1, used: 1 }, 'coupon.whyNot.per_customer_limit', { limit: 1, used: 1 }],
    [{ reason: 'max_redemptions', limit: 100, used: 100 }, 'coupon.whyNot.max_redemptions', { limit: 100, used: 100 }],
    [{ reason: 'offline_single_use' }, 'coupon.whyNot.offline_single_use', {}],
    [{ reason: 'no_matching_lines' }, 'coupon.whyNot.no_matching_lines', {}],
    [{ reason: 'min_spend', minSpend: 8_000, subtotal: 6_000, shortBy: 2_000 }, 'coupon.whyNot.min_spend', { minSpend: 8_000, subtotal: 6_000, shortBy: 2_000 }],
    [{ reason: 'not_stackable', with: 'NS-10' }, 'coupon.whyNot.not_stackable', { with: 'NS-10' }],
  ])('%j', (whyNot, key, params) => {
    expect(describeWhyNot(whyNot)).toEqual({ key, params })
  })

  it('warnings', () => {
    expect(describeWarning('may_be_used_elsewhere')).toEqual({ key: 'coupon.warning.may_be_used_elsewhere', params: {} })
  })
})


describe('applyCoupons on random baskets (seeded)', () => {
  const categories = [['Shoes'], ['Shoes', 'Running'], ['Shoes', 'Walking'], ['Tops'], ['Tops', 'T-shirts'], ['Accessories', 'Socks']]
  const skus = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H']

  function randomCase(random: () => number): { lines: BasketLine[]; coupons: Coupon[] } {
    const int = (min: number, max: number): number => min + Math.floor(random() * (max - min + 1))
    const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)] as T
    const price = (): number => pick([() => int(0, 3), () => int(1, 99), () => int(100, 30_000), () => int(1, 300) * 100 - 10])()
    const lines = Array.from({ length: int(1, 7) }, () => line(pick(skus), price(), int(1, 5), pick(categories)))
    const coupons = Array.from({ length: int(0, 7) }, (_, i) =>
      coupon(`C${int(0, 99)}-${i}`, {
        stackable: random() < 0.6,
        discount: random() < 0.5 ? percent(pick([0, 1, 3, 5, 10, 15, 33, 50, 99, 100, 150])) : amount(pick([0, 1, 7, 100, 500, 999, 1_000, 3_000, 100_000])),
        ...(random() < 0.3 ? { skus: [pick(skus), pick(skus)] } : {}),
        ...(random() < 0.3 ? { categories: [pick(categories)] } : {}),
        ...(random() < 0.3 ? { minSpend: int(0, 20_000) } : {}),
      }),
    )
    return { lines, coupons }
  }

  /** A legal set: fitting coupons, at most one of them non-stackable. */
  function legal(coupons: Coupon[], lines: BasketLine[]): Coupon[] {
    const fitting = coupons.filter((c) => couponFit(c, lines) === null)
    const nonStackable = fitting.find((c) => !c.stackable)
    return fitting.filter((c) => c.stackable || c === nonStackable)
  }

  it('keeps every invariant over 2,000 baskets × coupon sets', () => {
    const random = prng(20260510)
    let discounted = 0
    for (let run = 0; run < 2_000; run++) {
      const { lines, coupons } = randomCase(random)
      const chosen = legal(coupons, lines)
      const result = applyCoupons(chosen, lines)
      const where = `run ${run}: ${JSON.stringify({ lines, coupons: chosen })}`

      const amounts = lines.map((l) => l.qty * l.unitPrice)
      expect(result.subtotal, where).toBe(amounts.reduce((s, a) => s + a, 0))
      expect(result.total, where).toBe(saleTotal(result.lines))
      expect(result.total, where).toBeGreaterThanOrEqual(0)
      result.lines.forEach((l, i) => {
        expect(Number.isSafeInteger(l.discount), where).toBe(true)
        expect(l.discount, where).toBeGreaterThanOrEqual(0)
        expect(l.discount, where).toBeLessThanOrEqual(amounts[i] ?? 0)
        if (!chosen.some((c) => matchingLines(c, lines).includes(i))) expect(l.discount, where).toBe(0)
      })
      const lineSum = result.lines.reduce((s, l) => s + l.discount, 0)
      const couponSum = result.discounts.reduce((s, d) => s + d.amount, 0)
      expect(lineSum, where).toBe(couponSum)
      for (const d of result.discounts) {
        expect(Number.isSafeInteger(d.amount), where).toBe(true)
        expect(d.amount, where).toBeGreaterThanOrEqual(0)
      }
      expect(result.discounts.map((d) => d.code), where).toEqual(applicationOrder(chosen).map((c) => c.code))
      // Deterministic, whatever order the coupons come in.
      expect(applyCoupons([...chosen].reverse(), lines), where).toEqual(result)
      if (couponSum > 0) discounted++

      // The best combination is legal, adds up, and is at least as good as the set above.
      const best = bestCombination(coupons, lines)
      const bestCoupons = best.codes.map((code) => coupons.find((c) => c.code === code) as Coupon)
      expect(bestCoupons.filter((c) => !c.stackable).length, where).toBeLessThanOrEqual(1)
      expect(applyCoupons(bestCoupons, lines).discounts.reduce((s, d) => s + d.amount, 0), where).toBe(best.discount)
      expect(best.discount, where).toBeGreaterThanOrEqual(couponSum)
    }
    // The generator is not degenerate.
    expect(discounted).toBeGreaterThan(1_000)
  })

  it('splitDiscount shares proportionally, rounding down, the rest to the largest line first', () => {
    const random = prng(7)
    for (let run = 0; run < 2_000; run++) {
      const amounts = Array.from({ length: 1 + Math.floor(random() * 6) }, () => (random() < 0.3 ? Math.floor(random() * 4) : Math.floor(random() * 50_000)))
      const base = amounts.reduce((s, a) => s + a, 0)
      const share = Math.floor(random() * (base + 1))
      const shares = splitDiscount(share, amounts)
      const where = JSON.stringify({ amounts, share })
      expect(shares.reduce((s, x) => s + x, 0), where).toBe(share)
      const floors = amounts.map((a) => (base === 0 ? 0 : Math.floor((share * a) / base)))
      shares.forEach((x, i) => {
        expect(x, where).toBeGreaterThanOrEqual(floors[i] ?? 0)
        expect(x, where).toBeLessThanOrEqual(amounts[i] ?? 0)
      })
      // When the largest line can take the remaining yen, it takes them all.
      const largest = amounts.indexOf(Math.max(...amounts))
      const left = share - floors.reduce((s, x) => s + x, 0)
      if ((floors[largest] ?? 0) + left <= (amounts[largest] ?? 0)) {
        expect(shares, where).toEqual(floors.map((x, i) => (i === largest ? x + left : x)))
      }
    }
  })
})
