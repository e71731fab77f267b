// An event as the columns of `events` hold it, and the JSON a first sync stages them in
// (db/staged-events.ts). Plain code with no database in it: sync/fast-records.ts builds the rows
// of a first sync's events straight from the feed's records.
import type { ProfileEvent } from '../../../shared/records.ts'

/** id, member_id, type, channel, sku, qty, price_yen, order_id, store_id, coupon_code, at: the columns of `events` but sync_gen. */
export type EventRow = [string, string, string, string, string | null, number | null, number | null, string | null, string | null, string | null, string]

export function eventRow(event: ProfileEvent): EventRow {
  return [
    event.id,
    event.memberId,
    event.type,
    event.channel,
    event.sku ?? null,
    event.qty ?? null,
    event.price ?? null,
    event.orderId ?? null,
    event.storeId ?? null,
    event.couponCode ?? null,
    // Stored normalised so that ORDER BY at is chronological whatever the sender's precision.
    storedAt(event.at)!,
  ]
}

/**
 * Instants toISOString would write as they are: days the month has (V8 rolls 04-31 over to May),
 * February to the 28th (the 29th goes the long way, which knows leap years).
 */
const CANONICAL_AT =
  /^\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\d|30)|02-(?:0[1-9]|1\d|2[0-8]))T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/

/**
 * `at` as toISOString writes it (most senders already write it so, and it is kept as it came,
 * without parsing it); null when it is no time at all.
 */
export function storedAt(at: string): string | null {
  if (CANONICAL_AT.test(at)) return at
  const ms = Date.parse(at)
  return Number.isNaN(ms) ? null : new Date(ms).toISOString()
}

/**
 * Rows as one JSON array, which SQLite reads back (`->>`) as the very values binding them would
 * have stored. The one difference is a lone surrogate: bound, it becomes U+FFFD; as a JSON escape
 * SQLite would keep it as invalid UTF-8. Such strings are made well-formed first (JSON.stringify
 * writes a lone surrogate as `\udxxx`, so only rows that have one take the long way).
 */
export function encodeEventRows(rows: readonly EventRow[]): string {
  const json = JSON.stringify(rows)
  if (!json.includes('\\ud')) return json
  return JSON.stringify(rows, (_key, value: unknown) => (typeof value === 'string' ? value.toWellFormed() : value))
}
