// The manager's day at a register, on a real database: which sales fall in the store's day,
// and the figures of clienteling drawn from them.
import { describe, expect, it } from 'vitest'
import { upsertEvent } from '../../electron/services/db/events.ts'
import { openDatabase } from '../../electron/services/db/open.ts'
import { recordSale } from '../../electron/services/sales/record.ts'
import { audit } from '../../electron/services/staff/audit.ts'
import { addStaff } from '../../electron/services/staff/staff.ts'
import { dailySalesCsv, dailyStats } from '../../electron/services/stats/daily.ts'
import type { Sale } from '../../shared/records.ts'
import { dayRange, localDate, localHour } from '../../shared/time/zone.ts'

const TZ = 'Asia/Tokyo'
let n = 0
const saleId = () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`

function register() {
  const db = openDatabase(':memory:')
  const context = { db, storeId: 'S001', deviceId: 'REG-01', connectorKey: 'http:https://profile.example', now: () => new Date('2026-12-07T03:00:00Z') }
  addStaff(db, { staffId: 'S0001', name: '店長 一郎', role: 'manager', pin: '482913' }, null, new Date())
  addStaff(db, { staffId: 'S1001', name: '佐藤 花子', role: 'associate', pin: '135790' }, 'S0001', new Date())
  const sell = (at: string, staffId: string, memberId: string | null, lines: Sale['lines'], extra: Partial<Sale> = {}, connectorKey = context.connectorKey): string => {
    const id = saleId()
    const total = lines.reduce((sum, l) => sum + l.qty * l.unitPrice - l.discount, 0)
    const sale: Sale = { saleId: id, storeId: 'S001', deviceId: 'REG-01', staffId, at, currency: 'JPY', lines, coupons: [], total, suggestionsShown: [], suggestionsAccepted: [], ...extra }
    if (memberId) sale.memberId = memberId
    recordSale({ ...context, connectorKey }, sale)
    return id
  }
  const look = (memberId: string, sku: string, at: string, channel: 'web' | 'app' | 'store' = 'web', type: 'view' | 'cart' | 'wishlist' = 'view') =>
    upsertEvent(db, { id: `${memberId}:${sku}:${at}`, memberId, type, channel, sku, at }, 1)
  return { db, context: { db, timeZone: TZ, connectorKey: context.connectorKey }, sell, look }
}

describe('time zones', () => {
  it('finds the day and hour of an instant on the store’s wall clock, and the instants a day spans', () => {
    expect(localDate(Date.parse('2026-12-05T15:30:00Z'), TZ)).toBe('2026-12-06')
    expect(localHour(Date.parse('2026-12-05T15:30:00Z'), TZ)).toBe(0)
    expect(dayRange('2026-12-06', TZ)).toEqual({ start: '2026-12-05T15:00:00.000Z', end: '2026-12-06T15:00:00.000Z' })
    // A day the clocks change is 23 or 25 hours long.
    expect(dayRange('2026-03-08', 'America/New_York')).toEqual({ start: '2026-03-08T05:00:00.000Z', end: '2026-03-09T04:00:00.000Z' })
    expect(dayRange('2026-11-01', 'America/New_York')).toEqual({ start: '2026-11-01T04:00:00.000Z', end: '2026-11-02T05:00:00.000Z' })
    expect(() => dayRange('2026-02-30', TZ)).toThrow(RangeError)
  })
})

describe('the manager’s day', () => {
  it('counts the sales of the store’s day and what clienteling did in them', () => {
    const { db, context, sell, look } = register()
    // Looked at online: A five days before the sale counts; B forty days before and C in a store do not.
    look('M1', 'SKU-A', '2026-12-01T09:00:00.000Z')
    look('M1', 'SKU-B', '2026-10-27T09:00:00.000Z', 'app', 'cart')
    look('M1', 'SKU-C', '2026-12-02T09:00:00.000Z', 'store')
    // Carted after the sale: not what brought them in.
    look('M2', 'SKU-D', '2026-12-06T14:45:00.000Z', 'app', 'cart')
    const first = sell('2026-12-06T01:30:00.000Z', 'S1001', 'M1', [
      { sku: 'SKU-A', qty: 2, unitPrice: 1000, discount: 100 },
      { sku: 'SKU-B', qty: 1, unitPrice: 500, discount: 0 },
      { sku: 'SKU-C', qty: 1, unitPrice: 700, discount: 0 },
    ], { suggestionsShown: ['SKU-A', 'SKU-X'], suggestionsAccepted: ['SKU-A'], coupons: ['C10'] })
    // 00:30 in Tokyo: the day's first hour.
    sell('2026-12-05T15:30:00.000Z', 'S0001', null, [{ sku: 'SKU-C', qty: 1, unitPrice: 300, discount: 0 }])
    // An imported sale with an offset, 23:30 in Tokyo.
    sell('2026-12-06T23:30:00+09:00', 'S1001', 'M2', [{ sku: 'SKU-D', qty: 1, unitPrice: 800, discount: 0 }])
    // The next day in Tokyo, the day before, and a sale made against another profile source.
    sell('2026-12-06T15:00:00.000Z', 'S1001', 'M1', [{ sku: 'SKU-A', qty: 1, unitPrice: 1000, discount: 0 }])
    sell('2026-12-05T14:59:59.999Z', 'S1001', 'M1', [{ sku: 'SKU-A', qty: 1, unitPrice: 1000, discount: 0 }])
    sell('2026-12-06T02:00:00.000Z', 'S1001', 'M1', [{ sku: 'SKU-A', qty: 1, unitPrice: 1000, discount: 0 }], {}, 'demo:1')
    for (const at of ['2026-12-06T01:20:00Z', '2026-12-06T01:25:00Z', '2026-12-05T14:00:00Z']) {
      audit(db, { at: new Date(at), deviceId: 'REG-01', staffId: 'S1001', action: 'card_opened', subject: 'M1' })
    }

    const day = dailyStats(context, '2026-12-06')
    expect(day).toMatchObject({
      date: '2026-12-06',
      timeZone: TZ,
      sales: 3,
      totalYen: 3100 + 300 + 800,
      identified: 2,
      cardsOpened: 2,
      suggestionsShown: 2,
      suggestionsAccepted: 1,
      couponsRedeemed: 1,
      onlineInfluenced: { sales: 1, yen: 1900 },
      coupons: [{ code: 'C10', title: null, redeemed: 1 }],
    })
    expect(day.byHour).toHaveLength(24)
    expect(day.byHour.filter((h) => h.sales > 0)).toEqual([
      { hour: 0, sales: 1, totalYen: 300, identified: 0 },
      { hour: 10, sales: 1, totalYen: 3100, identified: 1 },
      { hour: 23, sales: 1, totalYen: 800, identified: 1 },
    ])
    expect(day.byStaff).toEqual([
      { staffId: 'S1001', name: '佐藤 花子', sales: 2, totalYen: 3900, identified: 2, cardsOpened: 2, suggestionsShown: 2, suggestionsAccepted: 1 },
      { staffId: 'S0001', name: '店長 一郎', sales: 1, totalYen: 300, identified: 0, cardsOpened: 0, suggestionsShown: 0, suggestionsAccepted: 0 },
    ])

    const csv = dailySalesCsv(context, '2026-12-06').trimEnd().split('\r\n')
    expect(csv[0]).toBe('sale_id,at,hour,staff_id,staff_name,member_id,total_yen,items,suggestions_shown,suggestions_accepted,coupons,online_influenced_yen')
    expect(csv.slice(1).map((line) => line.split(',').slice(2))).toEqual([
      ['0', 'S0001', '店長 一郎', '', '300', '1', '0', '0', '', ''],
      ['10', 'S1001', '佐藤 花子', 'M1', '3100', '4', '2', '1', 'C10', '1900'],
      ['23', 'S1001', '佐藤 花子', 'M2', '800', '1', '0', '0', '', ''],
    ])
    expect(csv[2]!.startsWith(`${first},`)).toBe(true)
  })

  it('is all zeros, hour by hour, on a day without sales', () => {
    const { context } = register()
    const day = dailyStats(context, '2026-12-06')
    expect(day).toMatchObject({ sales: 0, totalYen: 0, identified: 0, onlineInfluenced: { sales: 0, yen: 0 }, byStaff: [], coupons: [] })
    expect(day.byHour.every((h) => h.sales === 0)).toBe(true)
    expect(dailySalesCsv(context, '2026-12-06').split('\r\n')).toHaveLength(2)
  })
})
