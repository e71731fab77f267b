// Staff sign-in, roles, the idle lock and the append-only audit log, on a real database.
import { describe, expect, it } from 'vitest'
import { openDatabase } from '../../electron/services/db/open.ts'
import { audit, auditCsv, auditEntries, csvField } from '../../electron/services/staff/audit.ts'
import { hashPin, pinMatches } from '../../electron/services/staff/pin.ts'
import { createStaffSession } from '../../electron/services/staff/session.ts'
import { addStaff, PIN_LOCK_MS } from '../../electron/services/staff/staff.ts'
import { AppError } from '../../shared/errors.ts'

function register(lockAfterMinutes = 5) {
  const db = openDatabase(':memory:')
  let clock = Date.parse('2026-11-25T01:00:00Z')
  const now = () => new Date(clock)
  const session = createStaffSession({ db, deviceId: 'REG-01', lockAfterMinutes, now })
  return { db, session, advance: (ms: number) => (clock += ms), now }
}

function codeOf(fn: () => unknown): string {
  try {
    fn()
  } catch (error) {
    if (error instanceof AppError) return error.code
    throw error
  }
  return 'no error'
}

const actions = (db: ReturnType<typeof register>['db']) => auditEntries(db, 100).map((e) => e.action).reverse()

describe('PINs', () => {
  it('are stored only as a salted scrypt hash, checked in constant time', () => {
    const a = hashPin('1234')
    const b = hashPin('1234')
    expect(a.hash.equals(b.hash)).toBe(false)
    expect(a.hash).toHaveLength(32)
    expect(pinMatches('1234', a)).toBe(true)
    expect(pinMatches('1235', a)).toBe(false)
    const { db } = register()
    addStaff(db, { staffId: 'S0001', name: '店長', role: 'manager', pin: '482913' }, null, new Date())
    const row = db.prepare('SELECT * FROM staff').get() as Record<string, unknown>
    expect(JSON.stringify(row)).not.toContain('482913')
    expect(Buffer.from(row['pin_hash'] as Buffer).toString('latin1')).not.toContain('482913')
  })

  it('must be 4 to 8 digits', () => {
    const { db } = register()
    for (const pin of ['123', '123456789', 'abcd', '12 34']) {
      expect(codeOf(() => addStaff(db, { staffId: 'S0001', name: 'x', role: 'manager', pin }, null, new Date()))).toBe('invalid_input')
    }
  })
})

describe('the staff session', () => {
  it('asks for the first manager once; after that only a manager adds staff', () => {
    const { db, session } = register()
    expect(session.view().state).toBe('setup')
    expect(session.setupFirstManager('S0001', '店長 一郎', '9999')).toMatchObject({ state: 'signed_in', staff: { staffId: 'S0001', role: 'manager' }, manager: { staffId: 'S0001' } })
    expect(codeOf(() => session.setupFirstManager('S0002', '誰か', '1111'))).toBe('manager_required')
    expect(actions(db)).toEqual(['staff_setup', 'signed_in'])
  })

  it('locks an id for a minute after five wrong PINs, and does not tell unknown ids from wrong PINs', () => {
    const { db, session, advance } = register()
    session.setupFirstManager('S0001', '店長', '9999')
    addStaff(db, { staffId: 'S1001', name: '佐藤', role: 'associate', pin: '1234' }, 'S0001', new Date())
    expect(codeOf(() => session.signIn('S9999', '1234'))).toBe('wrong_pin')
    for (let i = 0; i < 4; i++) expect(codeOf(() => session.signIn('S1001', '0000'))).toBe('wrong_pin')
    expect(codeOf(() => session.signIn('S1001', '0000'))).toBe('pin_locked')
    // Locked: even the right PIN waits the minute out.
    expect(codeOf(() => session.signIn('S1001', '1234'))).toBe('pin_locked')
    advance(PIN_LOCK_MS - 1000)
    expect(codeOf(() => session.signIn('S1001', '1234'))).toBe('pin_locked')
    advance(2000)
    expect(session.signIn('S1001', '1234')).toMatchObject({ state: 'signed_in', staff: { staffId: 'S1001', role: 'associate' }, manager: null })
    // A success clears the count: four more wrong ones do not lock.
    for (let i = 0; i < 4; i++) expect(codeOf(() => session.signIn('S1001', '0000'))).toBe('wrong_pin')
    expect(actions(db).filter((a) => a === 'sign_in_refused')).toHaveLength(12)
  })

  it('keeps manager-only actions for managers, or a manager signed in over the associate', () => {
    const { db, session } = register()
    session.setupFirstManager('S0001', '店長', '9999')
    addStaff(db, { staffId: 'S1001', name: '佐藤', role: 'associate', pin: '1234' }, 'S0001', new Date())
    session.signIn('S1001', '1234')
    expect(codeOf(() => session.requireManager())).toBe('manager_required')
    expect(codeOf(() => session.override('S1001', '1234'))).toBe('manager_required')
    expect(codeOf(() => session.override('S0001', '0000'))).toBe('wrong_pin')
    expect(session.override('S0001', '9999').manager).toMatchObject({ staffId: 'S0001' })
    expect(session.requireManager().staffId).toBe('S0001')
    // The associate is still the one at the register.
    expect(session.requireStaff().staffId).toBe('S1001')
    session.endOverride()
    expect(codeOf(() => session.requireManager())).toBe('manager_required')
  })

  it('locks after the idle time and on demand; activity keeps it open', () => {
    const { db, session, advance } = register(5)
    session.setupFirstManager('S0001', '店長', '9999')
    advance(4 * 60_000)
    session.activity()
    advance(4 * 60_000)
    expect(session.requireStaff().staffId).toBe('S0001')
    advance(5 * 60_000 + 1)
    expect(codeOf(() => session.requireStaff())).toBe('sign_in_required')
    expect(session.view()).toMatchObject({ state: 'locked', staff: null, lockedBy: 'idle' })
    session.signIn('S0001', '9999')
    expect(session.lock().lockedBy).toBe('manual')
    expect(actions(db).filter((a) => a === 'signed_out')).toHaveLength(2)
  })
})

describe('the audit log', () => {
  it('is append-only in the database itself', () => {
    const { db, now } = register()
    audit(db, { at: now(), deviceId: 'REG-01', staffId: 'S0001', action: 'card_opened', subject: 'M0000001' })
    expect(() => db.prepare(`UPDATE audit_log SET subject = 'M0000002'`).run()).toThrow(/append-only/)
    expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/)
    expect(auditEntries(db, 10)).toMatchObject([{ action: 'card_opened', subject: 'M0000001', deviceId: 'REG-01' }])
  })

  it('exports CSV that a spreadsheet opens safely', () => {
    const { db, now } = register()
    audit(db, { at: now(), deviceId: 'REG-01', staffId: 'S0001', action: 'sale_discarded', subject: 'x', detail: { reason: '=HYPERLINK("evil"), 本部で処理' } })
    const csv = auditCsv(db)
    expect(csv.split('\r\n')[0]).toBe('seq,at,device_id,staff_id,staff_name,action,subject,detail')
    expect(csv).toContain('"{""reason"":""=HYPERLINK(\\""evil\\""), 本部で処理""}"')
    expect(csvField('=1+1')).toBe(`"'=1+1"`)
    expect(csvField('-5')).toBe(`"'-5"`)
    expect(csvField('plain')).toBe('plain')
    expect(csvField(null)).toBe('')
  })
})
