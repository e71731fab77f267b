// The audit log: who opened which customer card, and who finished, voided, retried or discarded
// which sale, from which register. Append-only: this module only inserts and reads, and the
// table's triggers refuse UPDATE and DELETE from anyone.
import type { AuditEntryView } from '../../../shared/views.ts'
import { prepared, type ReadableDB, type WritableDB } from '../db/handle.ts'

export const auditActions = [
  'staff_setup',
  'signed_in',
  'sign_in_refused',
  'signed_out',
  'manager_override',
  'staff_added',
  'pin_reset',
  'card_opened',
  'sale_finished',
  'sale_voided',
  'member_attached',
  'sale_retried',
  'sale_discarded',
  'parked_exported',
  'audit_exported',
  'stats_exported',
] as const
export type AuditAction = (typeof auditActions)[number]

export type AuditWrite = { at: Date; deviceId: string; staffId: string | null; action: AuditAction; subject?: string | null; detail?: Record<string, unknown> | null }

export function audit(db: WritableDB, entry: AuditWrite): void {
  prepared(db, 'INSERT INTO audit_log (at, device_id, staff_id, action, subject, detail) VALUES (?, ?, ?, ?, ?, ?)').run(
    entry.at.toISOString(),
    entry.deviceId,
    entry.staffId,
    entry.action,
    entry.subject ?? null,
    entry.detail ? JSON.stringify(entry.detail) : null,
  )
}

type Row = { seq: number; at: string; device_id: string; staff_id: string | null; staff_name: string | null; action: AuditAction; subject: string | null; detail: string | null }

function toView(row: Row): AuditEntryView {
  return { seq: row.seq, at: row.at, deviceId: row.device_id, staffId: row.staff_id, staffName: row.staff_name, action: row.action, subject: row.subject, detail: row.detail }
}

/** Newest first; `before` pages back by sequence number. */
export function auditEntries(db: ReadableDB, limit: number, before: number | null = null): AuditEntryView[] {
  return prepared<[number, number], Row>(
    db,
    `SELECT a.seq, a.at, a.device_id, a.staff_id, s.name AS staff_name, a.action, a.subject, a.detail
       FROM audit_log AS a LEFT JOIN staff AS s ON s.staff_id = a.staff_id
      WHERE a.seq < ? ORDER BY a.seq DESC LIMIT ?`,
  )
    .all(before ?? Number.MAX_SAFE_INTEGER, limit)
    .map(toView)
}

/** The whole log as CSV (RFC 4180: quoted where needed, CRLF line ends), oldest first. */
export function auditCsv(db: ReadableDB): string {
  const header = ['seq', 'at', 'device_id', 'staff_id', 'staff_name', 'action', 'subject', 'detail']
  const lines = [header.join(',')]
  for (const row of prepared<[], Row>(db, `SELECT a.seq, a.at, a.device_id, a.staff_id, s.name AS staff_name, a.action, a.subject, a.detail FROM audit_log AS a LEFT JOIN staff AS s ON s.staff_id = a.staff_id ORDER BY a.seq`).iterate()) {
    lines.push([row.seq, row.at, row.device_id, row.staff_id, row.staff_name, row.action, row.subject, row.detail].map(csvField).join(','))
  }
  return lines.join('\r\n') + '\r\n'
}

export function csvField(value: string | number | null): string {
  if (value === null) return ''
  const text = String(value)
  // A leading =, +, - or @ would run as a formula in a spreadsheet: quoted with a leading apostrophe.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text
  return /[",\r\n']/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe
}
