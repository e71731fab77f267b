// After a sale is finished: attaching the member who showed their code late, and the parked
// sales a manager looks after (why each failed, export, retry with the same key and body,
// discard with a written reason).
import { AppError } from '../../../shared/errors.ts'
import type { Sale } from '../../../shared/records.ts'
import type { ParkedSaleView, RecentSaleView } from '../../../shared/views.ts'
import { getCustomer } from '../db/customers.ts'
import { inTransaction, prepared, type ReadableDB, type WritableDB } from '../db/handle.ts'
import { enqueue } from '../db/sales.ts'
import { audit } from '../staff/audit.ts'
import type { SignedIn } from '../staff/session.ts'
import { isSending } from '../sync/outbox.ts'
import { addSaleToTimeline } from './record.ts'

/** A customer may show their code this long after an anonymous sale (same register). */
export const ATTACH_WINDOW_MS = 30 * 60_000

export type AfterSaleContext = { db: WritableDB; deviceId: string; connectorKey: string; now: () => Date }

type SaleRow = { sale_id: string; member_id: string | null; staff_id: string | null; at: string; total_yen: number; body: string; recorded_at: string; discarded_at: string | null }
type OutboxState = { seq: number; state: 'pending' | 'sent' | 'parked' | 'discarded'; attempts: number }

function saleRow(db: ReadableDB, saleId: string): SaleRow | null {
  return prepared<[string], SaleRow>(db, 'SELECT sale_id, member_id, staff_id, at, total_yen, body, recorded_at, discarded_at FROM sales WHERE sale_id = ?').get(saleId) ?? null
}

function attachable(row: SaleRow, deviceId: string, now: Date): boolean {
  return row.member_id === null && row.discarded_at === null && (JSON.parse(row.body) as Sale).deviceId === deviceId && now.getTime() - Date.parse(row.recorded_at) <= ATTACH_WINDOW_MS
}

/** Sales finished here in the last 30 minutes, newest first. */
export function recentSales(context: AfterSaleContext, limit = 10): RecentSaleView[] {
  const since = new Date(context.now().getTime() - ATTACH_WINDOW_MS).toISOString()
  return prepared<[string, number], SaleRow>(
    context.db,
    'SELECT sale_id, member_id, staff_id, at, total_yen, body, recorded_at, discarded_at FROM sales WHERE recorded_at >= ? ORDER BY recorded_at DESC LIMIT ?',
  )
    .all(since, limit)
    .map((row) => ({
      saleId: row.sale_id,
      at: row.at,
      totalYen: row.total_yen,
      memberId: row.member_id,
      staffId: row.staff_id,
      lines: (JSON.parse(row.body) as Sale).lines.length,
      attachable: attachable(row, context.deviceId, context.now()),
    }))
}

/**
 * Late identification (profile-api.md 4). A sale not yet sent simply gains the member in its
 * stored body; one the server may already hold gets a member attachment in the outbox, sent
 * after the sale. Either way the member's timeline shows the sale at once.
 */
export function attachMember(context: AfterSaleContext, saleId: string, memberId: string, staff: SignedIn): void {
  const { db, now } = context
  inTransaction(db, () => {
    const row = saleRow(db, saleId)
    if (!row) throw new AppError('not_found', `no sale ${saleId} at this register`)
    if (row.member_id !== null) throw new AppError('attach_refused', `sale ${saleId} already belongs to member ${row.member_id}`)
    if (!attachable(row, context.deviceId, now())) throw new AppError('attach_refused', `sale ${saleId} was finished more than 30 minutes ago or at another register`)
    if (!getCustomer(db, memberId)) throw new AppError('not_found', `member ${memberId} is not in the cache`)
    const sale = JSON.parse(row.body) as Sale
    const outbox = prepared<[string], OutboxState>(db, `SELECT seq, state, attempts FROM outbox WHERE sale_id = ? AND kind = 'sale'`).get(saleId)
    const untouched = outbox !== undefined && outbox.state === 'pending' && outbox.attempts === 0 && !isSending(db, outbox.seq)
    const at = now().toISOString()
    if (untouched) {
      // Never sent: the body it will first be sent with simply names the member.
      const body = JSON.stringify({ ...sale, memberId })
      prepared(db, 'UPDATE outbox SET body = ? WHERE seq = ?').run(body, outbox.seq)
      prepared(db, 'UPDATE sales SET body = ?, member_id = ? WHERE sale_id = ?').run(body, memberId, saleId)
    } else {
      const body = JSON.stringify({ memberId, staffId: staff.staffId, at })
      enqueue(db, { kind: 'member', saleId, idempotencyKey: `${saleId}:member`, path: `/v1/sales/${encodeURIComponent(saleId)}/member`, body, connectorKey: context.connectorKey, createdAt: at })
      prepared(db, 'UPDATE sales SET member_id = ? WHERE sale_id = ?').run(memberId, saleId)
    }
    addSaleToTimeline(db, sale, memberId, at)
    audit(db, { at: now(), deviceId: context.deviceId, staffId: staff.staffId, action: 'member_attached', subject: saleId, detail: { memberId, via: untouched ? 'body' : 'attach_call' } })
  })
}

type ParkedRow = { seq: number; kind: 'sale' | 'member'; sale_id: string; body: string; last_error: string | null; parked_at: string | null; attempts: number; at: string; recorded_at: string; total_yen: number; member_id: string | null; staff_id: string | null }

export function parkedSales(db: ReadableDB): ParkedSaleView[] {
  return prepared<[], ParkedRow>(
    db,
    `SELECT o.seq, o.kind, o.sale_id, o.body, o.last_error, o.parked_at, o.attempts, s.at, s.recorded_at, s.total_yen, s.member_id, s.staff_id
       FROM outbox AS o JOIN sales AS s ON s.sale_id = o.sale_id
      WHERE o.state = 'parked' ORDER BY o.seq`,
  )
    .all()
    .map((r) => ({ saleId: r.sale_id, kind: r.kind, at: r.at, recordedAt: r.recorded_at, totalYen: r.total_yen, memberId: r.member_id, staffId: r.staff_id, error: r.last_error, parkedAt: r.parked_at, attempts: r.attempts, body: r.body }))
}

/** The parked sales as JSON, for the retailer's support: each with its stored body as sent. */
export function exportParked(context: AfterSaleContext, manager: SignedIn): string {
  const parked = parkedSales(context.db)
  audit(context.db, { at: context.now(), deviceId: context.deviceId, staffId: manager.staffId, action: 'parked_exported', detail: { count: parked.length } })
  return JSON.stringify(
    parked.map((p) => ({ ...p, body: JSON.parse(p.body) as unknown })),
    null,
    2,
  )
}

/** Sends a parked sale again (the server was fixed): same idempotency key, same bytes, next in line. */
export function retryParked(context: AfterSaleContext, saleId: string, manager: SignedIn): void {
  inTransaction(context.db, () => {
    const changed = prepared(context.db, `UPDATE outbox SET state = 'pending', next_attempt_at = NULL, parked_at = NULL WHERE sale_id = ? AND state = 'parked'`).run(saleId).changes
    if (changed === 0) throw new AppError('not_found', `sale ${saleId} is not parked`)
    audit(context.db, { at: context.now(), deviceId: context.deviceId, staffId: manager.staffId, action: 'sale_retried', subject: saleId })
  })
}

/** Gives up on a parked sale, with a written reason; the sale stays in the register's records. */
export function discardParked(context: AfterSaleContext, saleId: string, reason: string, manager: SignedIn): void {
  const why = reason.trim()
  if (why.length < 3) throw new AppError('invalid_input', 'write why the sale is discarded')
  inTransaction(context.db, () => {
    const changed = prepared(context.db, `UPDATE outbox SET state = 'discarded' WHERE sale_id = ? AND state = 'parked'`).run(saleId).changes
    if (changed === 0) throw new AppError('not_found', `sale ${saleId} is not parked`)
    prepared(context.db, 'UPDATE sales SET discarded_at = ?, discard_reason = ? WHERE sale_id = ?').run(context.now().toISOString(), why, saleId)
    audit(context.db, { at: context.now(), deviceId: context.deviceId, staffId: manager.staffId, action: 'sale_discarded', subject: saleId, detail: { reason: why } })
  })
}
