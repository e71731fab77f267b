// Customer events (online and in-store) in the cache, and the reads the customer card needs.
import type { Channel, EventType, ProfileEvent } from '../../../shared/records.ts'
import { eventRow } from './event-rows.ts'
import { prepared, type ReadableDB, type WritableDB } from './handle.ts'

/** An event as the columns of `events` hold it, in their order. */
export function eventValues(event: ProfileEvent, generation: number): (string | number | null)[] {
  return [...eventRow(event), generation]
}

/**
 * Stores the event; answers true when the cache did not hold it before (an event the feed
 * delivers again, or brings back after this register recorded it, answers false). One statement
 * for a new event, the common case: no look-up before it.
 */
export function upsertEvent(db: WritableDB, event: ProfileEvent, generation: number): boolean {
  const values = eventValues(event, generation)
  const inserted = prepared(
    db,
    `INSERT INTO events (id, member_id, type, channel, sku, qty, price_yen, order_id, store_id, coupon_code, at, sync_gen)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO NOTHING`,
  ).run(values).changes
  if (inserted === 1) return true
  prepared(
    db,
    `UPDATE events SET member_id = ?, type = ?, channel = ?, sku = ?, qty = ?, price_yen = ?, order_id = ?,
       store_id = ?, coupon_code = ?, at = ?, sync_gen = ?
     WHERE id = ?`,
  ).run(...values.slice(1), values[0])
  return false
}

/** Views, carts and wishlists: what the cache does not keep without personalization consent. */
export const BEHAVIOUR_TYPES = ['view', 'cart', 'wishlist'] as const

export function deleteBehaviourEvents(db: WritableDB, memberId: string): number {
  return prepared(db, `DELETE FROM events WHERE member_id = ? AND type IN ('view', 'cart', 'wishlist')`).run(memberId).changes
}

export function deleteEvent(db: WritableDB, id: string): void {
  prepared(db, 'DELETE FROM events WHERE id = ?').run(id)
}

export type TimelineRow = {
  id: string
  type: EventType
  channel: Channel
  at: string
  sku: string | null
  product_name: string | null
  qty: number | null
  price_yen: number | null
  order_id: string | null
  store_id: string | null
  store_name: string | null
  coupon_code: string | null
}

/**
 * The member's events, newest first, with product and store names (on events_member_at). Events
 * at the same time come latest stored first: the rowid, which the member index holds (migration 0130).
 */
export const TIMELINE_SQL = `SELECT e.id, e.type, e.channel, e.at, e.sku, p.name AS product_name, e.qty, e.price_yen,
       e.order_id, e.store_id, s.name AS store_name, e.coupon_code
  FROM events AS e
  LEFT JOIN products AS p ON p.sku = e.sku
  LEFT JOIN stores AS s ON s.store_id = e.store_id
 WHERE e.member_id = ?
 ORDER BY e.at DESC, e.rowid DESC
 LIMIT ?`

export function timelineRows(db: ReadableDB, memberId: string, limit: number): TimelineRow[] {
  return prepared<[string, number], TimelineRow>(db, TIMELINE_SQL).all(memberId, limit)
}

export type ViewedRow = { sku: string; name: string; price_yen: number; record: string; views: number; last_at: string; on_hand: number | null }

/** Products the member viewed online (web or app) since `since`, most recent first. */
export function recentlyViewedRows(db: ReadableDB, memberId: string, storeId: string, since: string, limit: number): ViewedRow[] {
  return prepared<[string, string, string, number], ViewedRow>(
    db,
    `SELECT v.sku, p.name, p.price_yen, p.record, v.views, v.last_at, i.on_hand
       FROM (SELECT sku, count(*) AS views, max(at) AS last_at
               FROM events
              WHERE member_id = ? AND type = 'view' AND channel IN ('web', 'app') AND sku IS NOT NULL AND at >= ?
              GROUP BY sku) AS v
       JOIN products AS p ON p.sku = v.sku
       LEFT JOIN inventory AS i ON i.store_id = ? AND i.sku = v.sku
      ORDER BY v.last_at DESC
      LIMIT ?`,
  ).all(memberId, since, storeId, limit)
}

export type MemberStatsRow = {
  events: number
  online_orders: number
  store_orders: number
  spend_year: number | null
  last_here: string | null
}

export function memberStats(db: ReadableDB, memberId: string, storeId: string, yearAgo: string): MemberStatsRow {
  return prepared<[string, string, string], MemberStatsRow>(
    db,
    `SELECT count(*) AS events,
            count(DISTINCT CASE WHEN type = 'purchase' AND channel <> 'store' THEN coalesce(order_id, id) END) AS online_orders,
            count(DISTINCT CASE WHEN type = 'purchase' AND channel = 'store' THEN coalesce(order_id, id) END) AS store_orders,
            sum(CASE WHEN type = 'purchase' AND at >= ? THEN coalesce(qty, 1) * coalesce(price_yen, 0) END) AS spend_year,
            max(CASE WHEN type = 'purchase' AND channel = 'store' AND store_id = ? THEN at END) AS last_here
       FROM events
      WHERE member_id = ?`,
  ).get(yearAgo, storeId, memberId) as MemberStatsRow
}

export function countEvents(db: ReadableDB): number {
  return (prepared(db, 'SELECT count(*) AS n FROM events').get() as { n: number }).n
}
