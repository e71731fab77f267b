// What the services hand to the counter screen (and to `musubi lookup`): plain, serialisable
// view models. Formatting (yen, dates, words) is the UI's job; these carry facts.
import type { Channel, Customer, EventType } from './records.ts'
import type { MemberSuggestions } from './suggestions.ts'

export type Locale = 'ja' | 'en'
export const locales: readonly Locale[] = ['ja', 'en']

export type AppInfo = {
  version: string
  storeId: string
  storeName: string | null
  deviceId: string
  connectorKind: 'demo' | 'http'
  demo: boolean
  locale: Locale
  timeZone: string
  /** Problems of the config file that did not stop the app (unknown keys, ...), for IT. */
  configWarnings: string[]
  scanner: {
    layout: 'us' | 'jis'
    prefix: string
    suffix: 'Enter' | 'Tab'
    /** Where keyboard-wedge scans are told apart from typing: Electron's main process, or the page (browser harness). */
    wedgeIn: 'main' | 'renderer'
  }
}

/** A code read by a scanner the node side owns (HID POS, or the wedge seen in Electron's main process). */
export type ScannedCode = {
  text: string
  source: 'wedge' | 'hid'
  symbology: string | null
  /** The read was cut off (a lost continuation or suffix): nothing to look up, rescan. */
  partial: boolean
}

export type HidDeviceView = { path: string; product: string; manufacturer: string; vendorId: number; productId: number; posUsagePage: boolean }

export type ScannerStatus = {
  /** The webcam this register reads with (null: the system's default). */
  cameraDeviceId: string | null
  hid: { state: 'off' | 'disconnected' | 'connected' | 'error'; detail: string | null; chosenPath: string | null }
}

export type CustomerHit = {
  memberId: string
  displayName: string
  nameKana: string | null
  tier: string | null
  /** Masked: the counter lists hits in front of the queue. */
  phoneMasked: string | null
  emailMasked: string | null
}

export type TimelineEntry = {
  id: string
  type: EventType
  channel: Channel
  at: string
  sku: string | null
  productName: string | null
  qty: number | null
  /** Per unit, tax included, integer yen. */
  priceYen: number | null
  orderId: string | null
  storeId: string | null
  storeName: string | null
  couponCode: string | null
}

export type ViewedProduct = {
  sku: string
  name: string
  priceYen: number
  views: number
  lastViewedAt: string
  /** On hand in this register's store; null when the cache holds no stock record for it. */
  onHandHere: number | null
  attributes: Record<string, string>
}

export type Freshness = {
  /** When the last sync round finished with the cache up to date; null before the first. */
  asOf: string | null
  /** True when `asOf` is older than the staleness limit (or there never was a sync). */
  stale: boolean
}

/** A message the UI words: an i18n key and its parameters (money in yen, dates as ISO strings). */
export type Message = { key: string; params: Record<string, string | number> }

/** A coupon as the card lists it: usable now, or not with why. */
export type CardCoupon = {
  code: string
  title: string
  discount: { type: 'percent' | 'amount'; value: number }
  minSpendYen: number | null
  validTo: string
  stackable: boolean
  usable: boolean
  whyNot: Message | null
  warnings: Message[]
}

export type CustomerCard = {
  customer: Customer
  timeline: TimelineEntry[]
  /** Total events held for this customer (the timeline shows the newest of them). */
  eventCount: number
  recentlyViewed: ViewedProduct[]
  stats: {
    onlinePurchases: number
    storePurchases: number
    /** Sum of purchase lines over the last 365 days, integer yen. */
    spendLastYearYen: number
    lastVisitHereAt: string | null
  }
  freshness: Freshness
  /** Products to offer, each with the reason kind and facts the UI words (see suggestions.ts). */
  suggestions: MemberSuggestions
  coupons: CardCoupon[]
}

/** Why an app QR was refused: each has its own sentence for the customer. */
export type AppQrRefusal = 'expired' | 'not_yet_valid' | 'bad_signature' | 'unknown_key' | 'bad_algorithm' | 'malformed' | 'not_accepted' | 'not_a_member'

export type ScanOutcome =
  | { kind: 'member'; memberId: string; via: 'app_qr' | 'card'; card: CustomerCard }
  | { kind: 'member_unknown'; memberId: string; reason: 'not_in_cache' | 'not_found' | 'unreachable' }
  | { kind: 'member_refused'; memberId: string | null; reason: AppQrRefusal }
  /** A staff badge; `known`: this register has that staff id. */
  | { kind: 'staff'; staffId: string; known: boolean }
  /** A read that is detectably broken: scan again. */
  | { kind: 'partial'; reason: 'cut_short' | 'two_codes' | 'suffix_lost' }
  | { kind: 'product'; code: string; sku: string | null; name: string | null; priceYen: number | null; onHandHere: number | null }
  | { kind: 'coupon'; code: string; title: string }
  | { kind: 'unknown'; text: string }
  /** The register is locked: only a staff badge is read until someone signs in. */
  | { kind: 'sign_in_required' }

export type SyncState = 'idle' | 'syncing' | 'offline' | 'unauthorized' | 'error'

export type SyncStatus = {
  state: SyncState
  /** True while the cache has never completed a full sync (the counter shows the first-sync screen). */
  firstSync: boolean
  progress: {
    applied: number
    total: number | null
    /** Seconds left, estimated from the rate so far; null when unknown. */
    etaSeconds: number | null
    /** The feed is in, and a first sync is putting it in place (a minute or more at millions of events). */
    finishing: boolean
    counts: { customers: number; products: number; events: number }
  } | null
  lastSuccessAt: string | null
  lastError: { code: string; message: string } | null
  skippedChanges: number
  salesWaiting: number
  salesFailed: number
}

export type StaffRole = 'associate' | 'manager'

/** Who is signed in at this register. `setup`: no staff yet, the first manager is asked for. */
export type SessionView = {
  state: 'setup' | 'locked' | 'signed_in'
  staff: { staffId: string; name: string; role: StaffRole } | null
  /** The manager for manager-only actions: the signed-in manager, or one who signed in over the associate. */
  manager: { staffId: string; name: string; role: StaffRole } | null
  lockAfterMinutes: number
  /** Why the register is locked: on demand, or after the idle time. */
  lockedBy: 'manual' | 'idle' | null
}

export type StaffView = { staffId: string; name: string; role: StaffRole; lockedUntil: string | null }

export type AuditEntryView = {
  seq: number
  at: string
  deviceId: string
  staffId: string | null
  staffName: string | null
  action: string
  subject: string | null
  /** JSON, as recorded. */
  detail: string | null
}

/** A line of the sale being rung up; money in integer yen, tax included. */
export type DraftLine = {
  sku: string
  name: string
  qty: number
  unitPriceYen: number
  /** qty × unit price. */
  amountYen: number
  /** This line's share of all coupon discounts. */
  discountYen: number
  onHandHere: number | null
  /** The card suggested it to this customer during the sale. */
  suggested: boolean
}

export type DraftCoupon = {
  code: string
  title: string
  applied: boolean
  discountYen: number
  /** Why it does not apply to this sale (it stays listed until removed). */
  whyNot: Message | null
  warnings: Message[]
}

/** The sale being rung up, as the sale panel shows it; the services compute every figure. */
export type SaleDraftView = {
  memberId: string | null
  memberName: string | null
  lines: DraftLine[]
  coupons: DraftCoupon[]
  subtotalYen: number
  discountYen: number
  totalYen: number
  posReceipt: string | null
  /** Skus the card showed this customer during the sale. */
  suggestionsShown: string[]
}

export type FinishedSale = { saleId: string; memberId: string | null; memberName: string | null; totalYen: number; at: string }

/** A sale finished here lately: anonymous ones may still be attached to a member (late identification). */
export type RecentSaleView = {
  saleId: string
  at: string
  totalYen: number
  memberId: string | null
  staffId: string | null
  lines: number
  /** Anonymous, finished at this register within the last 30 minutes. */
  attachable: boolean
}

export type ParkedSaleView = {
  saleId: string
  kind: 'sale' | 'member'
  at: string
  recordedAt: string
  totalYen: number
  memberId: string | null
  staffId: string | null
  /** The server's reason, as it said it. */
  error: string | null
  parkedAt: string | null
  attempts: number
  /** The exact body stored (and resent by a retry). */
  body: string
}

export type ProductHit = { sku: string; name: string; priceYen: number; onHandHere: number | null; barcode: string | null }

/** One hour of the day's sales (the store's wall clock). */
export type HourStats = { hour: number; sales: number; totalYen: number; identified: number }

/** What a day's selling counts, for the register and for each associate. */
export type DayFigures = {
  sales: number
  totalYen: number
  /** Sales with a member: scanned, typed or attached later. */
  identified: number
  /** Member cards opened (the same card opened again by the same associate within 10 minutes counts once). */
  cardsOpened: number
  suggestionsShown: number
  suggestionsAccepted: number
}

/** One associate's day at this register. */
export type StaffDayStats = DayFigures & { staffId: string; name: string | null }

/** The manager's page for one day at this register: clienteling figures from its own records. */
export type DailyStatsView = DayFigures & {
  /** YYYY-MM-DD in the store's time zone. */
  date: string
  timeZone: string
  couponsRedeemed: number
  /**
   * Online to store: sales to a member who looked at one of the products they bought (viewed,
   * carted or wishlisted it on the web or in the app) in the 30 days before, and those lines' yen.
   */
  onlineInfluenced: { sales: number; yen: number }
  /** 24 entries, hour 0 to 23. */
  byHour: HourStats[]
  byStaff: StaffDayStats[]
  coupons: Array<{ code: string; title: string | null; redeemed: number }>
}
