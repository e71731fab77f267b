// Members: who they are (the customer record) and how they behave (traits the event generator
// follows), both derived from (seed, member index) alone.
import type { Customer } from '../../../../shared/records.ts'
import { groups } from './catalog-data.ts'
import { familyNames, familyNameWeights, femaleGivenNames, maleGivenNames, type Name } from './names.ts'
import { at, rngFor, streams, unit } from './random.ts'

export const tiers = ['regular', 'silver', 'gold', 'platinum'] as const
export type Tier = (typeof tiers)[number]

export type MemberSizes = { shoes: string; tops: string; bottoms: string }

export type MemberTraits = {
  index: number
  memberId: string
  female: boolean
  family: Name
  given: Name
  /** Store indices (Catalog.stores). */
  homeStore: number
  otherStore: number
  /** Group indices (catalog-data `groups`), strongest first. */
  interests: number[]
  tier: Tier
  tags: string[]
  sizes: MemberSizes | null
  email: string | null
  phone: string | null
  points: number
  personalization: boolean
  /** Chance that an online session is on the app rather than the web shop. */
  appShare: number
  /** Chance that a session is a visit to a store. */
  storeShare: number
  /** Chance of looking for a coupon at checkout. */
  couponAffinity: number
  /** Member since this many days before the anchor day (1..729). */
  sinceDays: number
}

export type StoreLayout = { count: number; registerStore: number; homeWeights: readonly number[] }

/** Rich enough for a demo at the counter: see demo/index.ts. */
export const SAMPLE_MEMBER_INDEX = 0
/** A good share of the members shop at the register's own store. */
const REGISTER_HOME_SHARE = 0.3
const DAY_MS = 86_400_000

export function memberIdOf(index: number): string {
  return 'M' + String(index + 1).padStart(7, '0')
}

/** The member index of a demo member id, or null for anything else. */
export function memberIndexOf(memberId: string): number | null {
  if (!/^M\d{7}$/.test(memberId)) return null
  const index = Number(memberId.slice(1)) - 1
  return index >= 0 ? index : null
}

/**
 * The uniform roll behind a member's activity: it sets their share of the events (see
 * activityWeight) and nudges their tier, so heavy shoppers tend to be gold and platinum.
 */
export function activityRoll(seed: number, index: number): number {
  return unit(seed, streams.activity, index)
}

/** Shifted Pareto (α 1.25), capped: most members do little, a few do hundreds of things. */
export function activityWeight(roll: number): number {
  return Math.min(120, Math.pow(1 - roll, -1 / 1.25)) - 0.85
}

const interestWeights = {
  female: [3, 2, 1, 2, 2, 1.5, 3, 2, 2],
  male: [3, 2.5, 2, 2, 1, 1.5, 0.6, 1.5, 1],
}
const femaleShoes = ['23.0', '23.5', '24.0', '24.5', '25.0', '25.5']
const femaleShoeWeights = [2, 4, 5, 4, 2, 1]
const maleShoes = ['25.0', '25.5', '26.0', '26.5', '27.0', '27.5', '28.0']
const maleShoeWeights = [1, 3, 5, 5, 4, 2, 1]
const topSizes = ['S', 'M', 'L']
const groupIndex = (g: (typeof groups)[number]): number => groups.indexOf(g)

export function memberTraits(seed: number, index: number, stores: StoreLayout): MemberTraits {
  if (index === SAMPLE_MEMBER_INDEX) return sampleTraits(stores)
  const rng = rngFor(seed, streams.member, index)
  const female = rng.chance(0.56)
  const family = at(familyNames, rng.weighted(familyNameWeights), 'memberTraits')
  const given = rng.pick(female ? femaleGivenNames : maleGivenNames)

  const homeStore = rng.chance(REGISTER_HOME_SHARE)
    ? stores.registerStore
    : rng.weighted(stores.homeWeights.map((w, s) => (s === stores.registerStore ? 0 : w)))
  const otherStore = rng.weighted(stores.homeWeights.map((w, s) => (s === homeStore ? 0 : w)))

  const weights = (female ? interestWeights.female : interestWeights.male).slice()
  const interests: number[] = []
  const interestCount = rng.chance(0.5) ? 3 : 2
  while (interests.length < interestCount) {
    const g = rng.weighted(weights)
    weights[g] = 0
    interests.push(g)
  }

  const roll = activityRoll(seed, index)
  const tierRoll = rng.next()
  let tier: Tier = tierRoll < 0.72 ? 'regular' : tierRoll < 0.9 ? 'silver' : tierRoll < 0.97 ? 'gold' : 'platinum'
  if (roll > 0.98 && (tier === 'regular' || tier === 'silver')) tier = 'gold'
  else if (roll > 0.9 && tier === 'regular') tier = 'silver'
  const points = pointsFor(tier, rng.next())

  const hasEmail = rng.chance(0.85)
  const email = hasEmail ? emailOf(seed, index, family, given, rng.int(4), rng.next()) : null
  const phone = rng.chance(0.7) ? phoneOf(seed, index, rng.next()) : null

  const likes = (g: (typeof groups)[number]): boolean => interests.includes(groupIndex(g))
  const tags: string[] = []
  if (likes('running') && rng.chance(0.75)) tags.push('runner')
  if (rng.chance(likes('bags') || likes('running') ? 0.35 : 0.05)) tags.push('outdoor')
  if (likes('kitchen') && rng.chance(0.7)) tags.push('kitchen')
  if (likes('beauty') && rng.chance(0.7)) tags.push('beauty')
  if (rng.chance(0.15)) tags.push('family')
  if (hasEmail && rng.chance(0.45)) tags.push('newsletter')
  if (tier === 'platinum' || (tier === 'gold' && rng.chance(0.3))) tags.push('vip')

  let sizes: MemberSizes | null = null
  if (rng.chance(0.88)) {
    const shoes = female
      ? at(femaleShoes, rng.weighted(femaleShoeWeights), 'memberTraits')
      : at(maleShoes, rng.weighted(maleShoeWeights), 'memberTraits')
    const topIndex = rng.weighted(female ? [4, 5, 1] : [1, 4.5, 4.5])
    const bottomIndex = rng.chance(0.8) ? topIndex : Math.max(0, Math.min(2, topIndex + (rng.chance(0.5) ? 1 : -1)))
    sizes = { shoes, tops: at(topSizes, topIndex, 'memberTraits'), bottoms: at(topSizes, bottomIndex, 'memberTraits') }
  }

  const kind = rng.next()
  // Online-only, mixed, and store regulars.
  const storeShare = kind < 0.25 ? 0.03 : kind < 0.75 ? 0.1 + rng.next() * 0.2 : 0.35 + rng.next() * 0.25
  return {
    index,
    memberId: memberIdOf(index),
    female,
    family,
    given,
    homeStore,
    otherStore,
    interests,
    tier,
    tags,
    sizes,
    email,
    phone,
    points,
    personalization: !rng.chance(0.08),
    appShare: 0.1 + rng.next() * 0.8,
    storeShare,
    couponAffinity: 0.1 + rng.next() * 0.5,
    sinceDays: 30 + Math.floor(699 * Math.sqrt(Math.max(rng.next(), roll * 0.9))),
  }
}

function sampleTraits(stores: StoreLayout): MemberTraits {
  const otherStore = stores.count > 1 ? (stores.registerStore + 1) % stores.count : stores.registerStore
  return {
    index: SAMPLE_MEMBER_INDEX,
    memberId: memberIdOf(SAMPLE_MEMBER_INDEX),
    female: true,
    family: { kanji: '佐藤', kana: 'サトウ', romaji: 'sato' },
    given: { kanji: '美咲', kana: 'ミサキ', romaji: 'misaki' },
    homeStore: stores.registerStore,
    otherStore,
    interests: [groupIndex('running'), groupIndex('apparel'), groupIndex('food')],
    tier: 'gold',
    tags: ['runner', 'outdoor', 'newsletter'],
    sizes: { shoes: '24.0', tops: 'M', bottoms: 'M' },
    email: 'misaki.sato@example.jp',
    phone: '090-1234-5678',
    points: 12_480,
    personalization: true,
    appShare: 0.6,
    storeShare: 0.35,
    couponAffinity: 0.4,
    sinceDays: 729,
  }
}

function pointsFor(tier: Tier, u: number): number {
  const [low, high] =
    tier === 'platinum' ? [5_000, 60_000] : tier === 'gold' ? [2_000, 20_000] : tier === 'silver' ? [500, 8_000] : [0, 3_000]
  return Math.round(low + u * u * (high - low))
}

/** The number is a bijection of the member index (below 100,000), so addresses never collide. */
function emailOf(seed: number, index: number, family: Name, given: Name, pattern: number, u: number): string {
  const num = (index * 7919 + (seed % 1000)) % 100_000
  const local =
    pattern === 0
      ? `${given.romaji}.${family.romaji}${num}`
      : pattern === 1
        ? `${family.romaji}.${given.romaji}${num}`
        : pattern === 2
          ? `${given.romaji.charAt(0)}.${family.romaji}${num}`
          : `${family.romaji}_${given.romaji}${num}`
  const domain = u < 0.5 ? 'example.jp' : u < 0.75 ? 'example.ne.jp' : 'example.com'
  return `${local}@${domain}`
}

/** Same idea as emailOf: eight digits that are a bijection of the index, so numbers are unique. */
function phoneOf(seed: number, index: number, u: number): string {
  const digits = String((index * 73_939_133 + (seed % 100_000_000)) % 100_000_000).padStart(8, '0')
  const prefix = u < 0.55 ? '090' : u < 0.9 ? '080' : '070'
  return `${prefix}-${digits.slice(0, 4)}-${digits.slice(4)}`
}

export function customerRecord(seed: number, traits: MemberTraits, anchorMs: number): Customer {
  const rng = rngFor(seed, streams.member, traits.index, 1)
  const daysAgo = traits.index === SAMPLE_MEMBER_INDEX ? 2 : rng.int(180) + 1
  const updatedAt = new Date(anchorMs - daysAgo * DAY_MS + rng.int(DAY_MS / 1000) * 1000).toISOString()
  return {
    memberId: traits.memberId,
    displayName: `${traits.family.kanji}\u3000${traits.given.kanji}`,
    nameKana: `${traits.family.kana}\u3000${traits.given.kana}`,
    ...(traits.email ? { email: traits.email } : {}),
    ...(traits.phone ? { phone: traits.phone } : {}),
    tier: traits.tier,
    points: traits.points,
    tags: traits.tags.slice(),
    consent: { personalization: traits.personalization },
    ...(traits.sizes ? { sizes: { ...traits.sizes } } : {}),
    updatedAt,
  }
}
