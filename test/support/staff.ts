// Staff for tests: a manager and an associate, with the associate signed in (the counter's usual state).
import type { ApiImpl } from '../../shared/ipc/contract.ts'
import type { SessionView } from '../../shared/views.ts'

export const MANAGER = { staffId: 'S0001', name: '店長 一郎', pin: '9999' } as const
export const ASSOCIATE = { staffId: 'S1001', name: '佐藤 花子', pin: '1234' } as const

function now<T>(value: T | Promise<T>): T {
  if (value instanceof Promise) throw new Error('the staff calls of the services answer at once')
  return value
}

/** Creates the two (on first use) and signs one in; synchronous, as the services' staff calls are. */
export function signInForTests(api: ApiImpl, as: 'associate' | 'manager' = 'associate'): SessionView {
  if (now(api.staff.session()).state === 'setup') {
    now(api.staff.setup(MANAGER.staffId, MANAGER.name, MANAGER.pin))
    now(api.staff.add(ASSOCIATE.staffId, ASSOCIATE.name, 'associate', ASSOCIATE.pin))
  }
  const who = as === 'manager' ? MANAGER : ASSOCIATE
  return now(api.staff.signIn(who.staffId, who.pin))
}
