// The register's staff: ids, names, roles and PIN hashes. Five wrong PINs lock an id for a minute.
import { AppError } from '../../../shared/errors.ts'
import type { StaffRole, StaffView } from '../../../shared/views.ts'
import { prepared, type ReadableDB, type WritableDB } from '../db/handle.ts'
import { hashPin, PIN_PATTERN, pinMatches } from './pin.ts'

export const MAX_WRONG_PINS = 5
export const PIN_LOCK_MS = 60_000

export type StaffRow = { staff_id: string; name: string; role: StaffRole; pin_hash: Buffer; pin_salt: Buffer; failed_pins: number; locked_until: string | null; created_at: string }

export type NewStaff = { staffId: string; name: string; role: StaffRole; pin: string }

export function staffCount(db: ReadableDB): number {
  return prepared<[], { n: number }>(db, 'SELECT count(*) AS n FROM staff').get()!.n
}

export function findStaff(db: ReadableDB, staffId: string): StaffRow | null {
  return prepared<[string], StaffRow>(db, 'SELECT * FROM staff WHERE staff_id = ?').get(staffId) ?? null
}

export function listStaff(db: ReadableDB): StaffView[] {
  return prepared<[], StaffRow>(db, 'SELECT * FROM staff ORDER BY role DESC, staff_id')
    .all()
    .map((row) => ({ staffId: row.staff_id, name: row.name, role: row.role, lockedUntil: row.locked_until }))
}

function checkPin(pin: string): void {
  if (!PIN_PATTERN.test(pin)) throw new AppError('invalid_input', 'a PIN is 4 to 8 digits')
}

export function addStaff(db: WritableDB, staff: NewStaff, createdBy: string | null, now: Date): void {
  checkPin(staff.pin)
  if (findStaff(db, staff.staffId)) throw new AppError('invalid_input', `staff id ${staff.staffId} already exists`)
  const { hash, salt } = hashPin(staff.pin)
  prepared(db, 'INSERT INTO staff (staff_id, name, role, pin_hash, pin_salt, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
    staff.staffId,
    staff.name,
    staff.role,
    hash,
    salt,
    now.toISOString(),
    createdBy,
  )
}

export function resetPin(db: WritableDB, staffId: string, pin: string): void {
  checkPin(pin)
  if (!findStaff(db, staffId)) throw new AppError('not_found', `no staff member ${staffId}`)
  const { hash, salt } = hashPin(pin)
  prepared(db, 'UPDATE staff SET pin_hash = ?, pin_salt = ?, failed_pins = 0, locked_until = NULL WHERE staff_id = ?').run(hash, salt, staffId)
}

/**
 * Checks a PIN. A wrong one counts; the fifth in a row locks the id for a minute. Unknown ids and
 * wrong PINs get the same answer, so the screen does not tell which staff ids exist. A refusal is
 * answered, not thrown, so that the count it wrote commits (a throw would roll the transaction back).
 */
export function verifyPin(db: WritableDB, staffId: string, pin: string, now: Date): StaffRow | AppError {
  try {
    return checkPinOf(db, staffId, pin, now)
  } catch (error) {
    if (error instanceof AppError) return error
    throw error
  }
}

function checkPinOf(db: WritableDB, staffId: string, pin: string, now: Date): StaffRow {
  const row = findStaff(db, staffId)
  if (row?.locked_until && Date.parse(row.locked_until) > now.getTime()) {
    const wait = Date.parse(row.locked_until) - now.getTime()
    throw new AppError('pin_locked', `too many wrong PINs for ${staffId}: try again in ${Math.ceil(wait / 1000)} s`, wait)
  }
  if (!row || !pinMatches(pin, { hash: row.pin_hash, salt: row.pin_salt })) {
    if (row) {
      const failed = row.failed_pins + 1
      if (failed >= MAX_WRONG_PINS) {
        prepared(db, 'UPDATE staff SET failed_pins = 0, locked_until = ? WHERE staff_id = ?').run(new Date(now.getTime() + PIN_LOCK_MS).toISOString(), staffId)
        throw new AppError('pin_locked', `too many wrong PINs for ${staffId}: try again in ${PIN_LOCK_MS / 1000} s`, PIN_LOCK_MS)
      }
      prepared(db, 'UPDATE staff SET failed_pins = ? WHERE staff_id = ?').run(failed, staffId)
    }
    throw new AppError('wrong_pin', 'the staff id or the PIN is wrong')
  }
  if (row.failed_pins > 0 || row.locked_until) prepared(db, 'UPDATE staff SET failed_pins = 0, locked_until = NULL WHERE staff_id = ?').run(staffId)
  return row
}
