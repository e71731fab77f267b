// The manager's day at this register: how much of its selling was clienteling. Everything is
// read from the register's own records (its sales as recorded, with the suggestions the card
// showed and the ones taken; its audit log; the cache's online events), so the figures hold
// offline and need nothing from the profile service.
import type { Sale } from '../../../shared/records.ts'
import { dayRange, localHour, type LocalDate } from '../../../shared/time/zone.ts'
import type { DailyStatsView, DayFigures, StaffDayStats } from '../../../shared/views.ts'
import { getCoupon } from '../db/catalog.ts'
import { prepared, type ReadableDB } from '../db/handle.ts'
import { csvField } from '../staff/audit.ts'
import { findStaff } from '../staff/staff.ts'

/** How long before a sale a look online still counts as having brought the customer in. */
export const ONLINE_INFLUENCE_DAYS = 30
const DAY_MS = 86_400_000

export type DayContext = { db: ReadableDB; timeZone: string; connectorKey: string }

/** A day's sales by time (index sales_at), a day's margin either side. */
export const DAY_SALES_SQL = `SELECT sale_id, at, total_yen, member_id, staff_id, body FROM sales
  WHERE connector_key = ? AND at >= ? AND at < ? ORDER BY at`

/** Which of a sale's products the member looked at online in the window before it (index events_member_at). */
export const LOOKED_ONLINE_SQL = `SELECT DISTINCT sku FROM events
  WHERE member_id = ? AND at >= ? AND at < ? AND channel IN ('web', 'app') AND type IN ('view', 'cart', 'wishlist')
    AND sku IN (SELECT value FROM json_each(?))`

type SaleRow = { sale_id: string; at: string; total_yen: number; member_id: string | null; staff_id: string | null; body: string }

/** A day's sales, oldest first, with the lines that a look online led to. */
type DaySale = { row: SaleRow; ms: number; sale: Sale; influencedYen: number | null }

function daySales(context: DayContext, date: LocalDate): DaySale[] {
  const { db, timeZone, connectorKey } = context
  const { start, end } = dayRange(date, timeZone)
  const startMs = Date.parse(start)
  const endMs = Date.parse(end)
  // Sales keep `at` as they came (an imported sale may carry an offset): read a day either side
  // by the text, then keep what falls in the day by the instant.
  const rows = prepared<[string, string, string], SaleRow>(db, DAY_SALES_SQL).all(connectorKey, new Date(startMs - DAY_MS).toISOString(), new Date(endMs + DAY_MS).toISOString())
  const looked = prepared<[string, string, string, string], { sku: string }>(db, LOOKED_ONLINE_SQL)
  const out: DaySale[] = []
  for (const row of rows) {
    const ms = Date.parse(row.at)
    if (!(ms >= startMs && ms < endMs)) continue
    const sale = JSON.parse(row.body) as Sale
    let influencedYen: number | null = null
    if (row.member_id !== null) {
      const skus = [...new Set(sale.lines.map((l) => l.sku))]
      const seen = new Set(looked.all(row.member_id, new Date(ms - ONLINE_INFLUENCE_DAYS * DAY_MS).toISOString(), new Date(ms).toISOString(), JSON.stringify(skus)).map((r) => r.sku))
      if (seen.size > 0) influencedYen = sale.lines.filter((l) => seen.has(l.sku)).reduce((sum, l) => sum + l.qty * l.unitPrice - l.discount, 0)
    }
    out.push({ row, ms, sale, influencedYen })
  }
  return out.sort((a, b) => a.ms - b.ms)
}

const noFigures = (): DayFigures => ({ sales: 0, totalYen: 0, identified: 0, cardsOpened: 0, suggestionsShown: 0, suggestionsAccepted: 0 })

export function dailyStats(context: DayContext, date: LocalDate): DailyStatsView {
  const { db, timeZone } = context
  const sales = daySales(context, date)
  const { start, end } = dayRange(date, timeZone)

  const byHour = Array.from({ length: 24 }, (_, hour) => ({ hour, sales: 0, totalYen: 0, identified: 0 }))
  const staff = new Map<string, StaffDayStats>()
  const staffOf = (staffId: string): StaffDayStats => {
    let entry = staff.get(staffId)
    if (!entry) {
      entry = { staffId, name: findStaff(db, staffId)?.name ?? null, ...noFigures() }
      staff.set(staffId, entry)
    }
    return entry
  }
  const coupons = new Map<string, number>()
  const view: DailyStatsView = {
    date,
    timeZone,
    ...noFigures(),
    couponsRedeemed: 0,
    onlineInfluenced: { sales: 0, yen: 0 },
    byHour,
    byStaff: [],
    coupons: [],
  }

  for (const { row, ms, sale, influencedYen } of sales) {
    const identified = row.member_id !== null ? 1 : 0
    const hour = byHour[localHour(ms, timeZone)]!
    const who = staffOf(row.staff_id ?? sale.staffId)
    for (const bucket of [view, hour, who]) {
      bucket.sales++
      bucket.totalYen += row.total_yen
      bucket.identified += identified
    }
    for (const bucket of [view, who]) {
      bucket.suggestionsShown += sale.suggestionsShown.length
      bucket.suggestionsAccepted += sale.suggestionsAccepted.length
    }
    view.couponsRedeemed += sale.coupons.length
    for (const code of sale.coupons) coupons.set(code, (coupons.get(code) ?? 0) + 1)
    if (influencedYen !== null) {
      view.onlineInfluenced.sales++
      view.onlineInfluenced.yen += influencedYen
    }
  }

  const opened = prepared<[string, string], { staff_id: string | null; n: number }>(
    db,
    `SELECT staff_id, count(*) AS n FROM audit_log WHERE action = 'card_opened' AND at >= ? AND at < ? GROUP BY staff_id`,
  ).all(start, end)
  for (const { staff_id, n } of opened) {
    view.cardsOpened += n
    if (staff_id !== null) staffOf(staff_id).cardsOpened += n
  }

  view.byStaff = [...staff.values()].sort((a, b) => b.totalYen - a.totalYen || b.cardsOpened - a.cardsOpened || a.staffId.localeCompare(b.staffId))
  view.coupons = [...coupons.entries()]
    .map(([code, redeemed]) => ({ code, title: getCoupon(db, code)?.title ?? null, redeemed }))
    .sort((a, b) => b.redeemed - a.redeemed || a.code.localeCompare(b.code))
  return view
}

/** The day's sales, one row each, for a spreadsheet: the figures behind the page. */
export function dailySalesCsv(context: DayContext, date: LocalDate): string {
  const header = ['sale_id', 'at', 'hour', 'staff_id', 'staff_name', 'member_id', 'total_yen', 'items', 'suggestions_shown', 'suggestions_accepted', 'coupons', 'online_influenced_yen']
  const lines = [header.join(',')]
  for (const { row, ms, sale, influencedYen } of daySales(context, date)) {
    const staffId = row.staff_id ?? sale.staffId
    lines.push(
      [
        row.sale_id,
        row.at,
        localHour(ms, context.timeZone),
        staffId,
        findStaff(context.db, staffId)?.name ?? null,
        row.member_id,
        row.total_yen,
        sale.lines.reduce((n, l) => n + l.qty, 0),
        sale.suggestionsShown.length,
        sale.suggestionsAccepted.length,
        sale.coupons.join(' '),
        influencedYen,
      ]
        .map(csvField)
        .join(','),
    )
  }
  return lines.join('\r\n') + '\r\n'
}
