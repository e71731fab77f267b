// The customer card: the whole customer from the cache, online and in store, newest first.
import type { Customer } from '../../../shared/records.ts'
import { maskEmail, maskPhone } from '../../../shared/text/mask.ts'
import type { CustomerCard, CustomerHit, Freshness, ViewedProduct } from '../../../shared/views.ts'
import { getCustomer } from '../db/customers.ts'
import { memberStats, recentlyViewedRows, timelineRows } from '../db/events.ts'
import type { ReadableDB } from '../db/handle.ts'
import { readSyncState } from '../db/sync-state.ts'
import { couponContextFor, couponsForCustomer } from '../coupons/for-customer.ts'
import { suggestionsOf } from '../suggest/engine.ts'

export const TIMELINE_LIMIT = 200
const RECENTLY_VIEWED_DAYS = 30
const RECENTLY_VIEWED_LIMIT = 8
/** Past this, the card warns that what it shows may be out of date. */
export const STALE_AFTER_MINUTES = 30

const DAY_MS = 24 * 3600 * 1000

export type CardContext = { db: ReadableDB; storeId: string; now: () => Date; offline: () => boolean }

export const SUGGESTION_LIMIT = 6

export function freshness(db: ReadableDB, now: Date): Freshness {
  const asOf = readSyncState(db)?.lastSuccessAt ?? null
  const stale = asOf === null || now.getTime() - Date.parse(asOf) > STALE_AFTER_MINUTES * 60_000
  return { asOf, stale }
}

export function customerCard(context: CardContext, memberId: string): CustomerCard | null {
  const { db, storeId } = context
  const customer = getCustomer(db, memberId)
  if (!customer) return null
  const now = context.now()
  const timeline = timelineRows(db, memberId, TIMELINE_LIMIT).map((row) => ({
    id: row.id,
    type: row.type,
    channel: row.channel,
    at: row.at,
    sku: row.sku,
    productName: row.product_name,
    qty: row.qty,
    priceYen: row.price_yen,
    orderId: row.order_id,
    storeId: row.store_id,
    storeName: row.store_name,
    couponCode: row.coupon_code,
  }))
  const since = new Date(now.getTime() - RECENTLY_VIEWED_DAYS * DAY_MS).toISOString()
  const recentlyViewed: ViewedProduct[] = recentlyViewedRows(db, memberId, storeId, since, RECENTLY_VIEWED_LIMIT).map((row) => ({
    sku: row.sku,
    name: row.name,
    priceYen: row.price_yen,
    views: row.views,
    lastViewedAt: row.last_at,
    onHandHere: row.on_hand,
    attributes: (JSON.parse(row.record) as { attributes?: Record<string, string> }).attributes ?? {},
  }))
  const stats = memberStats(db, memberId, storeId, new Date(now.getTime() - 365 * DAY_MS).toISOString())
  return {
    customer,
    timeline,
    eventCount: stats.events,
    recentlyViewed,
    stats: {
      onlinePurchases: stats.online_orders,
      storePurchases: stats.store_orders,
      spendLastYearYen: stats.spend_year ?? 0,
      lastVisitHereAt: stats.last_here,
    },
    freshness: freshness(db, now),
    suggestions: suggestionsOf({ db, storeId, now: context.now, limit: SUGGESTION_LIMIT }, memberId),
    coupons: couponsForCustomer(db, couponContextFor(db, customer, now, context.offline())),
  }
}

export function customerHit(customer: Customer): CustomerHit {
  return {
    memberId: customer.memberId,
    displayName: customer.displayName,
    nameKana: customer.nameKana ?? null,
    tier: customer.tier ?? null,
    phoneMasked: customer.phone ? maskPhone(customer.phone) : null,
    emailMasked: customer.email ? maskEmail(customer.email) : null,
  }
}
