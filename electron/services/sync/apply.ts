// Applying one page of the feed: every change of the page and the cursor after it commit in one
// transaction, so a crash leaves the cache at a page boundary and the next pull resumes there.
// Applying a page twice leaves the cache as applying it once (upserts and deletes by id).
import { recordKinds, type Change, type ProfileEvent, type RawChange, type RecordKind } from '../../../shared/records.ts'
import { deleteCoupon, deleteInventory, deleteProduct, deleteStore, upsertCoupon, upsertInventory, upsertProduct, upsertStore } from '../db/catalog.ts'
import { deleteCustomer, upsertCustomer, withoutConsent } from '../db/customers.ts'
import { BEHAVIOUR_TYPES, deleteBehaviourEvents, deleteEvent, upsertEvent } from '../db/events.ts'
import { inTransaction, type WritableDB } from '../db/handle.ts'
import { readSetting, writeSetting } from '../db/settings.ts'
import { eventRow, type EventRow } from '../db/event-rows.ts'
import { stageDelete, stageEvents } from '../db/staged-events.ts'
import { saveCursor } from '../db/sync-state.ts'
import { onEventsApplied } from '../suggest/cooccurrence.ts'
import { fastCustomer, fastEvent, fastEventRow } from './fast-records.ts'

/** Members whose consent came back and whose history must be fetched again (profile-api.md 2). */
export const OWED_REFETCH = 'sync.owedRefetch'

function owe(db: WritableDB, memberIds: readonly string[]): void {
  const owed = new Set(readSetting<string[]>(db, OWED_REFETCH) ?? [])
  for (const id of memberIds) owed.add(id)
  writeSetting(db, OWED_REFETCH, [...owed])
}

export type PageCounts = {
  customers: number
  products: number
  events: number
  other: number
  skipped: number
  ignored: number
  /** Members whose personalization consent came back: their history is fetched again. */
  consentRestored: string[]
}

/** Validates a raw change: null when its kind is unknown (ignored) or it is malformed (skipped). */
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

const behaviourTypes: ReadonlySet<string> = new Set(BEHAVIOUR_TYPES)

/**
 * Per page, whether each member met is without personalization consent: asked of the cache once
 * per member, then kept current by the page's own customer changes.
 */
type ConsentMemo = Map<string, boolean>

function isWithoutConsent(db: WritableDB, memo: ConsentMemo, memberId: string): boolean {
  let without = memo.get(memberId)
  if (without === undefined) memo.set(memberId, (without = withoutConsent(db, memberId)))
  return without
}

type PageContext = {
  generation: number
  staged: boolean
  counts: PageCounts
  consent: ConsentMemo
  purchases: ProfileEvent[]
  /** Events of a staged page not staged yet: one batch at the end of the page, or before a delete. */
  toStage: EventRow[]
}

function stagePending(db: WritableDB, page: PageContext): void {
  stageEvents(db, page.toStage, page.generation)
  page.toStage = []
}

function stageDeleteAfterPending(db: WritableDB, page: PageContext, target: { id: string } | { memberId: string }): void {
  stagePending(db, page)
  stageDelete(db, target)
}

function applyChange(db: WritableDB, change: Change, page: PageContext): void {
  const { generation, counts, consent, purchases } = page
  switch (change.kind) {
    case 'customer': {
      consent.delete(change.id)
      if (change.op === 'delete') {
        if (page.staged) stageDeleteAfterPending(db, page, { memberId: change.id })
        return deleteCustomer(db, change.id)
      }
      const changed = upsertCustomer(db, change.data, generation)
      if (changed === 'withdrawn') deleteBehaviourEvents(db, change.id)
      else if (changed === 'restored') counts.consentRestored.push(change.id)
      return
    }
    case 'product':
      return change.op === 'upsert' ? upsertProduct(db, change.data, generation) : deleteProduct(db, change.id)
    case 'inventory':
      return change.op === 'upsert' ? upsertInventory(db, change.data, generation) : deleteInventory(db, change.id)
    case 'coupon':
      return change.op === 'upsert' ? upsertCoupon(db, change.data, generation) : deleteCoupon(db, change.id)
    case 'event':
      if (change.op === 'delete') {
        if (page.staged) stageDeleteAfterPending(db, page, { id: change.id })
        return deleteEvent(db, change.id)
      }
      // Staged (a first sync): sorted into events at its end, where consent is looked at once.
      if (page.staged) {
        page.toStage.push(eventRow(change.data))
        return
      }
      // Views, carts and wishlists of a member without personalization consent are never kept
      // (and a kept event that becomes one of them, by a new type or member, goes).
      if (behaviourTypes.has(change.data.type) && isWithoutConsent(db, consent, change.data.memberId)) return deleteEvent(db, change.id)
      // A purchase counts for suggestions once, when it first reaches the cache.
      if (upsertEvent(db, change.data, generation) && change.data.type === 'purchase') purchases.push(change.data)
      return
    case 'store':
      return change.op === 'upsert' ? upsertStore(db, change.data, generation) : deleteStore(db, change.id)
  }
}

/**
 * Applies the changes and stores `cursor` in one transaction; answers what it did. A null cursor
 * applies records that did not come from the feed (a customer fetched on demand). `staged`: the
 * events go to the first sync's staging table (db/staged-events.ts) rather than into `events`.
 */
export function applyPage(db: WritableDB, changes: readonly RawChange[], cursor: string | null, generation: number, options: { staged?: boolean } = {}): PageCounts {
  const counts: PageCounts = { customers: 0, products: 0, events: 0, other: 0, skipped: 0, ignored: 0, consentRestored: [] }
  const page: PageContext = { generation, staged: options.staged ?? false, counts, consent: new Map(), purchases: [], toStage: [] }
  inTransaction(db, () => {
    for (const raw of changes) {
      // A first sync's events, nine changes in ten: checked straight into their staged rows.
      if (page.staged && raw?.kind === 'event' && raw.op === 'upsert') {
        const row = fastEventRow(raw.data)
        if (row && row[0] === raw.id) {
          page.toStage.push(row)
          counts.events++
          continue
        }
      }
      const change = validateChange(raw)
      if (change === 'unknown_kind') {
        counts.ignored++
        continue
      }
      if (change === 'malformed') {
        counts.skipped++
        continue
      }
      applyChange(db, change, page)
      if (change.kind === 'customer') counts.customers++
      else if (change.kind === 'product') counts.products++
      else if (change.kind === 'event') counts.events++
      else counts.other++
    }
    stagePending(db, page)
    // Owed until fetched: kept with the page so a crash or a failed fetch cannot lose it.
    if (counts.consentRestored.length > 0) owe(db, counts.consentRestored)
    // Bought-together and selling-now counts, in the same transaction as the purchases.
    onEventsApplied(db, page.purchases)
    if (cursor !== null) saveCursor(db, cursor, counts.skipped)
  })
  return counts
}
