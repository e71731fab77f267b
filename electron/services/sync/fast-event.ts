// Events are nine changes in ten of a full sync. This checks one exactly as `eventSchema` does
// (shared/records.ts) without zod's machinery, several times faster; anything it does not accept
// goes to the schema, which then decides (so its answers are the schema's, by construction:
// test/unit/fast-event.test.ts compares the two on valid and broken events).
import { channels, eventTypes, type ProfileEvent } from '../../../shared/records.ts'

const types: ReadonlySet<unknown> = new Set(eventTypes)
const channelSet: ReadonlySet<unknown> = new Set(channels)

const text = (v: unknown, min: number, max: number): v is string => typeof v === 'string' && v.length >= min && v.length <= max
const optionalText = (v: unknown): boolean => v === undefined || typeof v === 'string'
const optionalInt = (v: unknown): boolean => v === undefined || (typeof v === 'number' && Number.isSafeInteger(v))

/** The event as the schema would answer it, or null when the schema must look (it may refuse). */
export function fastEvent(data: unknown): ProfileEvent | null {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return null
  const e = data as Record<string, unknown>
  const { id, memberId, type, channel, sku, qty, price, orderId, storeId, couponCode, at } = e
  if (!text(id, 1, 200) || !text(memberId, 1, 64) || !types.has(type) || !channelSet.has(channel)) return null
  if (!optionalText(sku) || !optionalInt(qty) || !optionalInt(price) || !optionalText(orderId) || !optionalText(storeId) || !optionalText(couponCode)) return null
  if (!text(at, 1, Infinity) || Number.isNaN(Date.parse(at))) return null
  const event = { id, memberId, type, channel } as ProfileEvent
  if (sku !== undefined) event.sku = sku as string
  if (qty !== undefined) event.qty = qty as number
  if (price !== undefined) event.price = price as number
  if (orderId !== undefined) event.orderId = orderId as string
  if (storeId !== undefined) event.storeId = storeId as string
  if (couponCode !== undefined) event.couponCode = couponCode as string
  event.at = at
  return event
}
