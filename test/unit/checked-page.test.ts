// What the HTTP worker does to a page of the feed (sync/checked-page.ts): valid event upserts
// become their columns, everything else stays as it came, and an event read back from its columns
// is the event. (staged-events.test.ts applies random feeds both ways and compares the caches.)
import { describe, expect, it } from 'vitest'
import { eventColumns } from '../../electron/services/db/events.ts'
import { checkPage, eventOf, isCheckedEvent } from '../../electron/services/sync/checked-page.ts'
import type { ProfileEvent } from '../../shared/records.ts'

const full: ProfileEvent = { id: 'e1', memberId: 'M0000001', type: 'purchase', channel: 'store', sku: 'SKU-1', qty: 2, price: 1490, orderId: 'o1', storeId: 'S001', couponCode: 'C1', at: '2026-11-20T05:00:00.000Z' }
const bare: ProfileEvent = { id: 'e2', memberId: 'M0000002', type: 'view', channel: 'web', at: '2026-11-20T14:00:00+09:00' }

describe('checked pages', () => {
  it('read an event back from its columns as it was (its time as toISOString writes it)', () => {
    expect(eventOf(eventColumns(full))).toEqual(full)
    expect(eventOf(eventColumns(bare))).toEqual({ ...bare, at: '2026-11-20T05:00:00.000Z' })
  })

  it('turn valid event upserts into columns and leave everything else as it came', () => {
    const changes = [
      { kind: 'event', op: 'upsert', id: 'e1', data: full },
      { kind: 'event', op: 'upsert', id: 'e2', data: { ...bare, at: 'yesterday' } },
      { kind: 'event', op: 'upsert', id: 'not-e2', data: bare },
      { kind: 'event', op: 'delete', id: 'e3' },
      { kind: 'customer', op: 'upsert', id: 'M0000001', data: { memberId: 'M0000001' } },
      { kind: 'hologram', op: 'upsert', id: 'h1', data: {} },
      null,
    ]
    const page = JSON.parse(checkPage(JSON.stringify({ changes, cursor: 'c9', hasMore: false, extra: { kept: true } }))) as { changes: unknown[]; cursor: string; hasMore: boolean; extra: unknown }
    expect(page.changes[0]).toEqual(eventColumns(full))
    expect(isCheckedEvent(page.changes[0] as never)).toBe(true)
    expect(page.changes.slice(1)).toEqual(changes.slice(1))
    expect(page).toMatchObject({ cursor: 'c9', hasMore: false, extra: { kept: true } })
  })

  it('give back anything that is not a page of changes as it is', () => {
    for (const text of ['', 'not json', '{"changes":', 'null', '[]', '{"changes":{}}', '{"cursor":"c1"}']) expect(checkPage(text)).toBe(text)
  })
})
