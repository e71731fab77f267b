// "Not interested": an associate dismisses a suggestion for one customer, and that product (in
// any size) is not suggested to them again for 30 days. Local to the register, never rebuilt.
import { prepared, type ReadableDB, type WritableDB } from '../db/handle.ts'

export const DISMISS_DAYS = 30
const DAY_MS = 86_400_000

/** Hides `sku` from this customer's suggestions until `days` days after `now` (again: from now). */
export function dismissSuggestion(db: WritableDB, memberId: string, sku: string, now: Date, days = DISMISS_DAYS): string {
  const until = new Date(now.getTime() + days * DAY_MS).toISOString()
  prepared(
    db,
    `INSERT INTO suggestion_dismissals (member_id, sku, until) VALUES (?, ?, ?)
     ON CONFLICT (member_id, sku) DO UPDATE SET until = excluded.until`,
  ).run(memberId, sku, until)
  return until
}

/** Takes a dismissal back (the associate tapped it by mistake). */
export function undoDismissal(db: WritableDB, memberId: string, sku: string): void {
  prepared(db, 'DELETE FROM suggestion_dismissals WHERE member_id = ? AND sku = ?').run(memberId, sku)
}

/** The skus dismissed for this customer that are still hidden at `now`. */
export function activeDismissals(db: ReadableDB, memberId: string, now: Date): Set<string> {
  const rows = prepared<[string, string], { sku: string }>(db, 'SELECT sku FROM suggestion_dismissals WHERE member_id = ? AND until > ?').all(memberId, now.toISOString())
  return new Set(rows.map((r) => r.sku))
}

/** Drops dismissals that have run out (housekeeping; they are ignored anyway). */
export function pruneDismissals(db: WritableDB, now: Date): number {
  return prepared(db, 'DELETE FROM suggestion_dismissals WHERE until <= ?').run(now.toISOString()).changes
}
