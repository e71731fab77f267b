// Who is signed in at this register. Kept in memory: a restart of the app asks again. The
// session locks itself after `lockAfterMinutes` without activity, and on demand; a manager can
// sign in over an associate for manager-only actions until the register locks or they step back.
import { AppError } from '../../../shared/errors.ts'
import type { SessionView, StaffRole } from '../../../shared/views.ts'
import type { WritableDB } from '../db/handle.ts'
import { inTransaction } from '../db/handle.ts'
import { audit } from './audit.ts'
import { addStaff, staffCount, verifyPin } from './staff.ts'

export type SignedIn = { staffId: string; name: string; role: StaffRole }

export type SessionContext = { db: WritableDB; deviceId: string; lockAfterMinutes: number; now: () => Date }

export interface StaffSession {
  view(): SessionView
  /** First run only: the first manager, who is then signed in. */
  setupFirstManager(staffId: string, name: string, pin: string): SessionView
  signIn(staffId: string, pin: string): SessionView
  /** Locks the register now (the next person signs in). */
  lock(reason?: 'manual' | 'idle'): SessionView
  /** A manager signs in over the associate for manager-only actions. */
  override(staffId: string, pin: string): SessionView
  endOverride(): SessionView
  /** The associate did something: the idle clock starts again. */
  activity(): void
  /** The signed-in associate; throws `sign_in_required` when the register is locked. */
  requireStaff(): SignedIn
  /** A manager (signed in, or signed in over the associate); throws `manager_required`. */
  requireManager(): SignedIn
}

export function createStaffSession(context: SessionContext): StaffSession {
  const { db, deviceId, now } = context
  const idleMs = context.lockAfterMinutes * 60_000
  let current: SignedIn | null = null
  let manager: SignedIn | null = null
  let lastActivity = 0
  let lockedBy: 'manual' | 'idle' | null = null

  function expireIfIdle(): void {
    if (current && now().getTime() - lastActivity > idleMs) lock('idle')
  }

  function view(): SessionView {
    expireIfIdle()
    const state = current ? 'signed_in' : staffCount(db) === 0 ? 'setup' : 'locked'
    return { state, staff: current, manager: current?.role === 'manager' ? current : manager, lockAfterMinutes: context.lockAfterMinutes, lockedBy: current ? null : lockedBy }
  }

  function start(row: { staff_id: string; name: string; role: StaffRole }): void {
    current = { staffId: row.staff_id, name: row.name, role: row.role }
    manager = null
    lockedBy = null
    lastActivity = now().getTime()
  }

  function lock(reason: 'manual' | 'idle' = 'manual'): SessionView {
    if (current) audit(db, { at: now(), deviceId, staffId: current.staffId, action: 'signed_out', detail: { reason } })
    current = null
    manager = null
    lockedBy = reason
    return view()
  }

  function checked(staffId: string, pin: string): SignedIn {
    const row = inTransaction(db, () => verifyPin(db, staffId, pin, now()))
    if (row instanceof AppError) {
      audit(db, { at: now(), deviceId, staffId: null, action: 'sign_in_refused', subject: staffId, detail: { code: row.code } })
      throw row
    }
    return { staffId: row.staff_id, name: row.name, role: row.role }
  }

  return {
    view,
    setupFirstManager(staffId, name, pin) {
      inTransaction(db, () => {
        if (staffCount(db) > 0) throw new AppError('manager_required', 'this register already has staff: a manager adds new staff')
        addStaff(db, { staffId, name, role: 'manager', pin }, null, now())
        audit(db, { at: now(), deviceId, staffId, action: 'staff_setup', subject: staffId })
      })
      start({ staff_id: staffId, name, role: 'manager' })
      audit(db, { at: now(), deviceId, staffId, action: 'signed_in' })
      return view()
    },
    signIn(staffId, pin) {
      const who = checked(staffId, pin)
      if (current && current.staffId !== who.staffId) audit(db, { at: now(), deviceId, staffId: current.staffId, action: 'signed_out', detail: { reason: 'switched' } })
      start({ staff_id: who.staffId, name: who.name, role: who.role })
      audit(db, { at: now(), deviceId, staffId: who.staffId, action: 'signed_in' })
      return view()
    },
    lock,
    override(staffId, pin) {
      if (!current) throw new AppError('sign_in_required', 'sign in first')
      const who = checked(staffId, pin)
      if (who.role !== 'manager') throw new AppError('manager_required', `${staffId} is not a manager`)
      manager = who
      lastActivity = now().getTime()
      audit(db, { at: now(), deviceId, staffId: who.staffId, action: 'manager_override', subject: current.staffId })
      return view()
    },
    endOverride() {
      manager = null
      return view()
    },
    activity() {
      expireIfIdle()
      if (current) lastActivity = now().getTime()
    },
    requireStaff() {
      expireIfIdle()
      if (!current) throw new AppError('sign_in_required', 'sign in to use the counter')
      lastActivity = now().getTime()
      return current
    },
    requireManager() {
      const staff = this.requireStaff()
      if (staff.role === 'manager') return staff
      if (manager) return manager
      throw new AppError('manager_required', 'a manager must sign in for this')
    },
  }
}
