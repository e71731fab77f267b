// Sales recorded here and their outbox rows.
import { prepared, type ReadableDB, type WritableDB } from './handle.ts'

export type OutboxRow = {
  seq: number
  kind: 'sale' | 'member'
  saleId: string
  idempotencyKey: string
  path: string
  body: string
  connectorKey: string
  state: 'pending' | 'sent' | 'parked'
  attempts: number
  nextAttemptAt: string | null
  lastError: string | null
  createdAt: string
  sentAt: string | null
  parkedAt: string | null
}

type Row = {
  seq: number
  kind: 'sale' | 'member'
  sale_id: string
  idempotency_key: string
  path: string
  body: string
  connector_key: string
  state: 'pending' | 'sent' | 'parked'
  attempts: number
  next_attempt_at: string | null
  last_error: string | null
  created_at: string
  sent_at: string | null
  parked_at: string | null
}

function rowToOutbox(row: Row): OutboxRow {
  return {
    seq: row.seq,
    kind: row.kind,
    saleId: row.sale_id,
    idempotencyKey: row.idempotency_key,
    path: row.path,
    body: row.body,
    connectorKey: row.connector_key,
    state: row.state,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error,
    createdAt: row.created_at,
    sentAt: row.sent_at,
    parkedAt: row.parked_at,
  }
}

export function saleExists(db: ReadableDB, saleId: string): boolean {
  return prepared<[string], { one: number }>(db, 'SELECT 1 AS one FROM sales WHERE sale_id = ?').get(saleId) !== undefined
}

export type NewSale = { saleId: string; memberId: string | null; staffId: string; at: string; totalYen: number; body: string; connectorKey: string; recordedAt: string }

export function insertSale(db: WritableDB, sale: NewSale): void {
  prepared(db, 'INSERT INTO sales (sale_id, member_id, staff_id, at, total_yen, body, connector_key, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
    sale.saleId,
    sale.memberId,
    sale.staffId,
    sale.at,
    sale.totalYen,
    sale.body,
    sale.connectorKey,
    sale.recordedAt,
  )
}

export function enqueue(db: WritableDB, row: { kind: 'sale' | 'member'; saleId: string; idempotencyKey: string; path: string; body: string; connectorKey: string; createdAt: string }): void {
  prepared(db, `INSERT INTO outbox (kind, sale_id, idempotency_key, path, body, connector_key, state, created_at) VALUES (?, ?, ?, ?, ?, ?, 'pending', ?)`).run(
    row.kind,
    row.saleId,
    row.idempotencyKey,
    row.path,
    row.body,
    row.connectorKey,
    row.createdAt,
  )
}

/** The first pending row for this source, in the order recorded. */
export function headOfOutbox(db: ReadableDB, connectorKey: string): OutboxRow | null {
  const row = prepared<[string], Row>(db, `SELECT * FROM outbox WHERE state = 'pending' AND connector_key = ? ORDER BY seq LIMIT 1`).get(connectorKey)
  return row ? rowToOutbox(row) : null
}

export function markSent(db: WritableDB, seq: number, at: string): void {
  prepared(db, `UPDATE outbox SET state = 'sent', sent_at = ?, attempts = attempts + 1, next_attempt_at = NULL, last_error = NULL WHERE seq = ? AND state = 'pending'`).run(at, seq)
}

export function markRetry(db: WritableDB, seq: number, nextAttemptAt: string, error: string): void {
  prepared(db, `UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE seq = ? AND state = 'pending'`).run(nextAttemptAt, error, seq)
}

/** A parked row leaves the queue and waits for a manager; it is never resent on its own. */
export function park(db: WritableDB, seq: number, at: string, error: string): void {
  prepared(db, `UPDATE outbox SET state = 'parked', parked_at = ?, attempts = attempts + 1, last_error = ? WHERE seq = ? AND state = 'pending'`).run(at, error, seq)
}

export type OutboxCounts = { waiting: number; parked: number; otherSource: number }

/** `state IN (...)`, not `<> 'sent'`: the (state, seq) index skips the sent rows, which stay for good. */
export function outboxCounts(db: ReadableDB, connectorKey: string): OutboxCounts {
  const row = prepared<[string, string], { waiting: number; parked: number; other: number }>(
    db,
    `SELECT count(CASE WHEN state = 'pending' AND connector_key = ? THEN 1 END) AS waiting,
            count(CASE WHEN state = 'parked' THEN 1 END) AS parked,
            count(CASE WHEN state = 'pending' AND connector_key <> ? THEN 1 END) AS other
       FROM outbox WHERE state IN ('pending', 'parked')`,
  ).get(connectorKey, connectorKey)!
  return { waiting: row.waiting, parked: row.parked, otherSource: row.other }
}

/** Rows not yet sent (waiting and parked), oldest first. */
export function unsentOutbox(db: ReadableDB): OutboxRow[] {
  return prepared<[], Row>(db, `SELECT * FROM outbox WHERE state IN ('pending', 'parked') ORDER BY seq`).all().map(rowToOutbox)
}

export function touchMember(db: WritableDB, memberId: string, field: 'last_scanned_at' | 'last_sold_at', at: string): void {
  prepared(
    db,
    field === 'last_scanned_at'
      ? 'INSERT INTO member_touches (member_id, last_scanned_at) VALUES (?, ?) ON CONFLICT (member_id) DO UPDATE SET last_scanned_at = excluded.last_scanned_at'
      : 'INSERT INTO member_touches (member_id, last_sold_at) VALUES (?, ?) ON CONFLICT (member_id) DO UPDATE SET last_sold_at = excluded.last_sold_at',
  ).run(memberId, at)
}
