// The demo's 40 coupons, dated relative to the anchor day so there are always current, upcoming
// and expired ones. Seasonal campaigns follow the calendar (summer sale in July), the rest are
// relative to the anchor, and single-use codes each belong to one member.
import type { Coupon } from '../../../../shared/records.ts'
import type { Catalog } from './catalog.ts'
import type { MemberTraits } from './people.ts'
import { memberIdOf, SAMPLE_MEMBER_INDEX } from './people.ts'
import { at, rngFor, streams } from './random.ts'

export const COUPON_COUNT = 40

export type CouponRule = {
  coupon: Coupon
  fromMs: number
  toMs: number
  /** 1 where the coupon applies to product p; null: to every line. */
  applies: Uint8Array | null
  minSpend: number
  perCustomerLimit: number
}

const DAY_MS = 86_400_000
const JST_OFFSET_MS = 9 * 3_600_000
const codeAlphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'

type Spec = Omit<Coupon, 'validFrom' | 'validTo'> & { fromMs: number; toMs: number }

type Season = {
  prefix: string
  title: (year: number) => string
  from: readonly [number, number]
  to: readonly [number, number]
  rest: Omit<Coupon, 'code' | 'title' | 'validFrom' | 'validTo'>
}

/** `to` is the first day no longer valid (JST); all campaigns end within their year. */
const seasons: readonly Season[] = [
  {
    prefix: 'WINTER', title: (y) => `冬のクリアランス ${y} 衣料20%OFF`, from: [1, 2], to: [2, 1],
    rest: { discount: { type: 'percent', value: 20 }, minSpend: 5000, categories: [['衣料']], stackable: false },
  },
  {
    prefix: 'SPRING', title: (y) => `新生活応援 ${y} キッチン・生活雑貨 ¥1,000OFF`, from: [3, 1], to: [4, 16],
    rest: { discount: { type: 'amount', value: 1000 }, minSpend: 8000, categories: [['キッチン'], ['生活雑貨']], stackable: false },
  },
  {
    prefix: 'SUMMER', title: (y) => `サマーセール ${y} 衣料・シューズ15%OFF`, from: [7, 1], to: [8, 1],
    rest: { discount: { type: 'percent', value: 15 }, categories: [['衣料'], ['シューズ']], stackable: false },
  },
  {
    prefix: 'ANNIV', title: (y) => `Musubi 周年祭 ${y} 全品10%OFF`, from: [10, 1], to: [10, 15],
    rest: { discount: { type: 'percent', value: 10 }, perCustomerLimit: 1, stackable: false },
  },
  {
    prefix: 'BF', title: (y) => `ブラックフライデー ${y} 15%OFF`, from: [11, 21], to: [12, 1],
    rest: { discount: { type: 'percent', value: 15 }, minSpend: 10000, stackable: false },
  },
]

function jstMidnight(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) - JST_OFFSET_MS
}

/** The last two finished runs of each campaign: history to redeem, expired at the counter. */
function seasonalSpecs(anchorMs: number): Spec[] {
  const specs: Spec[] = []
  const anchorYear = new Date(anchorMs).getUTCFullYear()
  for (const season of seasons) {
    let year = anchorYear
    if (jstMidnight(year, season.to[0], season.to[1]) > anchorMs) year -= 1
    for (const y of [year - 1, year]) {
      specs.push({
        code: `${season.prefix}${String(y).slice(2)}`,
        title: season.title(y),
        ...season.rest,
        fromMs: jstMidnight(y, season.from[0], season.from[1]),
        toMs: jstMidnight(y, season.to[0], season.to[1]),
      })
    }
  }
  return specs
}

function relativeSpecs(anchorMs: number, catalog: Catalog): Spec[] {
  const day = (offset: number): number => anchorMs - JST_OFFSET_MS + offset * DAY_MS
  const shoeStyle = catalog.styles.find((s) => s.template.key === 'RS')
  const shoeTarget = shoeStyle
    ? { skus: shoeStyle.products.map((p) => at(catalog.products, p, 'relativeSpecs').sku) }
    : { categories: [['スポーツ', 'ランニングシューズ']] }
  const shoeName = shoeStyle ? at(catalog.products, shoeStyle.products[0] ?? 0, 'relativeSpecs').name.split(' ').slice(0, 2).join(' ') : 'ランニングシューズ'
  return [
    { code: 'WELCOME500', title: '新規会員登録 ¥500OFF', discount: { type: 'amount', value: 500 }, minSpend: 3000, perCustomerLimit: 1, stackable: false, fromMs: day(-800), toMs: day(365) },
    { code: 'APP300', title: 'アプリ限定 ¥300OFF', discount: { type: 'amount', value: 300 }, minSpend: 3000, perCustomerLimit: 2, stackable: true, fromMs: day(-60), toMs: day(30) },
    { code: 'RUN10', title: 'ランナー応援 ランニング用品10%OFF', discount: { type: 'percent', value: 10 }, categories: [['スポーツ']], perCustomerLimit: 3, audience: { tags: ['runner'] }, stackable: false, fromMs: day(-180), toMs: day(90) },
    { code: 'GOLD15', title: 'ゴールド・プラチナ会員様 15%OFF', discount: { type: 'percent', value: 15 }, minSpend: 10000, perCustomerLimit: 2, audience: { tiers: ['gold', 'platinum'] }, stackable: false, fromMs: day(-30), toMs: day(31) },
    { code: 'KITCHEN1000', title: 'キッチン用品 ¥1,000OFF', discount: { type: 'amount', value: 1000 }, minSpend: 5000, categories: [['キッチン']], audience: { tags: ['kitchen'] }, stackable: false, fromMs: day(-45), toMs: day(45) },
    { code: 'BEAUTY10', title: 'コスメ 10%OFF', discount: { type: 'percent', value: 10 }, categories: [['コスメ']], audience: { tags: ['beauty'] }, stackable: false, fromMs: day(-20), toMs: day(40) },
    { code: 'TEA200', title: 'お茶 ¥200OFF', discount: { type: 'amount', value: 200 }, minSpend: 1000, categories: [['食品', 'お茶']], stackable: true, fromMs: day(-100), toMs: day(60) },
    { code: 'VIP20', title: 'VIP 感謝祭 20%OFF', discount: { type: 'percent', value: 20 }, perCustomerLimit: 1, audience: { tags: ['vip'], tiers: ['platinum'] }, stackable: false, fromMs: day(-10), toMs: day(20) },
    { code: 'SHOE2000', title: `${shoeName} ¥2,000OFF`, discount: { type: 'amount', value: 2000 }, ...shoeTarget, perCustomerLimit: 1, stackable: false, fromMs: day(-14), toMs: day(14) },
    { code: 'NOTE5', title: '文具 5%OFF', discount: { type: 'percent', value: 5 }, categories: [['文具']], stackable: true, fromMs: day(-60), toMs: day(30) },
    { code: 'FAMILY500', title: 'ファミリー会員 ¥500OFF', discount: { type: 'amount', value: 500 }, minSpend: 5000, audience: { tags: ['family'] }, stackable: false, fromMs: day(-90), toMs: day(90) },
    { code: 'NEWS5', title: 'メールマガジン読者限定 5%OFF', discount: { type: 'percent', value: 5 }, perCustomerLimit: 1, audience: { tags: ['newsletter'] }, stackable: true, fromMs: day(-7), toMs: day(7) },
    { code: 'OUTDOOR10', title: 'アウトドア特集 バッグ・アウター10%OFF', discount: { type: 'percent', value: 10 }, categories: [['バッグ'], ['衣料', 'アウター']], audience: { tags: ['outdoor'] }, stackable: false, fromMs: day(-30), toMs: day(60) },
    { code: 'EARLY10', title: '周年祭 先行予約 10%OFF', discount: { type: 'percent', value: 10 }, perCustomerLimit: 1, stackable: false, fromMs: day(7), toMs: day(21) },
    { code: 'BAG1000', title: 'バッグ ¥1,000OFF', discount: { type: 'amount', value: 1000 }, minSpend: 6000, categories: [['バッグ']], stackable: false, fromMs: day(-60), toMs: day(-3) },
    { code: 'COFFEE100', title: 'コーヒー ¥100OFF', discount: { type: 'amount', value: 100 }, categories: [['食品', 'コーヒー']], stackable: true, fromMs: day(-120), toMs: day(-30) },
  ]
}

/** Seven current and seven expired single-use codes, the first current one for the sample member. */
function singleUseSpecs(seed: number, anchorMs: number, memberCount: number): Spec[] {
  const specs: Spec[] = []
  for (let k = 0; k < 14; k++) {
    const rng = rngFor(seed, streams.coupon, k)
    let code = 'GIFT-'
    for (let i = 0; i < 8; i++) code += (i === 4 ? '-' : '') + codeAlphabet.charAt(rng.int(codeAlphabet.length))
    // The last character is the index, so codes never collide.
    code = code.slice(0, -1) + codeAlphabet.charAt(k)
    const current = k < 7
    const member = k === 0 || memberCount < 2 ? SAMPLE_MEMBER_INDEX : 1 + rng.int(memberCount - 1)
    const fromMs = current
      ? anchorMs - JST_OFFSET_MS - rng.between(3, 20) * DAY_MS
      : anchorMs - JST_OFFSET_MS - rng.between(40, 680) * DAY_MS
    const toMs = current ? anchorMs - JST_OFFSET_MS + rng.between(10, 40) * DAY_MS : fromMs + 30 * DAY_MS
    const kind = k % 3
    specs.push({
      code,
      title: kind === 0 ? 'お誕生日クーポン ¥1,000OFF' : kind === 1 ? 'ご愛顧感謝クーポン 10%OFF' : 'お詫びクーポン ¥500OFF',
      discount: kind === 1 ? { type: 'percent', value: 10 } : { type: 'amount', value: kind === 0 ? 1000 : 500 },
      perCustomerLimit: 1,
      maxRedemptions: 1,
      audience: { memberIds: [memberIdOf(member)] },
      stackable: kind !== 0,
      fromMs,
      toMs,
    })
  }
  return specs
}

function appliesTo(coupon: Coupon, catalog: Catalog): Uint8Array | null {
  if (!coupon.skus && !coupon.categories) return null
  const skus = new Set(coupon.skus ?? [])
  const paths = coupon.categories ?? []
  const applies = new Uint8Array(catalog.products.length)
  catalog.products.forEach((product, p) => {
    const inPath = paths.some((path) => path.every((part, i) => product.category[i] === part))
    applies[p] = skus.has(product.sku) || inPath ? 1 : 0
  })
  return applies
}

export function buildCoupons(seed: number, anchorMs: number, catalog: Catalog, memberCount: number): CouponRule[] {
  const specs = [...seasonalSpecs(anchorMs), ...relativeSpecs(anchorMs, catalog), ...singleUseSpecs(seed, anchorMs, memberCount)]
  if (specs.length !== COUPON_COUNT) throw new Error(`buildCoupons: expected ${COUPON_COUNT} coupons, got ${specs.length}`)
  return specs.map(({ fromMs, toMs, ...rest }) => {
    const { stackable, ...head } = rest
    const coupon: Coupon = {
      ...head,
      validFrom: new Date(fromMs).toISOString(),
      validTo: new Date(toMs).toISOString(),
      stackable,
    }
    return {
      coupon: orderedCoupon(coupon),
      fromMs,
      toMs,
      applies: appliesTo(coupon, catalog),
      minSpend: coupon.minSpend ?? 0,
      perCustomerLimit: coupon.perCustomerLimit ?? Number.POSITIVE_INFINITY,
    }
  })
}

/** Fields in the order profile-api.md lists them, so the JSON reads like the contract. */
function orderedCoupon(c: Coupon): Coupon {
  return {
    code: c.code,
    title: c.title,
    discount: c.discount,
    ...(c.minSpend !== undefined ? { minSpend: c.minSpend } : {}),
    ...(c.skus ? { skus: c.skus } : {}),
    ...(c.categories ? { categories: c.categories } : {}),
    validFrom: c.validFrom,
    validTo: c.validTo,
    ...(c.perCustomerLimit !== undefined ? { perCustomerLimit: c.perCustomerLimit } : {}),
    ...(c.maxRedemptions !== undefined ? { maxRedemptions: c.maxRedemptions } : {}),
    ...(c.audience ? { audience: c.audience } : {}),
    stackable: c.stackable,
  }
}

export function audienceMatches(coupon: Coupon, traits: MemberTraits): boolean {
  const audience = coupon.audience
  if (!audience) return true
  return (
    (audience.tags?.some((t) => traits.tags.includes(t)) ?? false) ||
    (audience.tiers?.includes(traits.tier) ?? false) ||
    (audience.memberIds?.includes(traits.memberId) ?? false)
  )
}
