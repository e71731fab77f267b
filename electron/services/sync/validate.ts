// Checking a change of the feed against its record's schema (shared/records.ts), before anything
// of it is applied. Pure: it also runs on the HTTP worker thread (checked-page.ts).
import { recordKinds, type Change, type RawChange, type RecordKind } from '../../../shared/records.ts'
import { fastCustomer, fastEvent } from './fast-records.ts'

/** The change, checked; or 'unknown_kind' (ignored) or 'malformed' (skipped, counted). */
export function validateChange(raw: RawChange): Change | 'unknown_kind' | 'malformed' {
  if (!raw || typeof raw !== 'object' || typeof raw.kind !== 'string') return 'malformed'
  if (!Object.hasOwn(recordKinds, raw.kind)) return 'unknown_kind'
  const kind = raw.kind as RecordKind
  if (typeof raw.id !== 'string' || raw.id.length === 0) return 'malformed'
  if (raw.op === 'delete') return { kind, op: 'delete', id: raw.id } as Change
  if (raw.op !== 'upsert') return 'malformed'
  if (kind === 'event') {
    const event = fastEvent(raw.data)
    if (event) return event.id === raw.id ? { kind, op: 'upsert', id: raw.id, data: event } : 'malformed'
  } else if (kind === 'customer') {
    const customer = fastCustomer(raw.data)
    if (customer) return customer.memberId === raw.id ? { kind, op: 'upsert', id: raw.id, data: customer } : 'malformed'
  }
  const { schema, idOf } = recordKinds[kind]
  const parsed = schema.safeParse(raw.data)
  if (!parsed.success) return 'malformed'
  // The id of the change must name the record it carries.
  if ((idOf as (r: unknown) => string)(parsed.data) !== raw.id) return 'malformed'
  return { kind, op: 'upsert', id: raw.id, data: parsed.data } as Change
}
