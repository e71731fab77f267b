// Errors cross the process boundary as values with a code the UI translates (Electron keeps
// only `message` of a thrown error). Services throw AppError; the dispatcher turns it into
// `{ ok: false, error }`.

export const errorCodes = [
  'invalid_input',
  'not_found',
  'internal',
  'config_invalid',
  'db_too_new',
  'sqlite_too_old',
  /** Another process holds the database past busy_timeout (the app's first sync moving its events, ~30 s). */
  'db_busy',
  'sync_failed',
  'unauthorized',
  'offline',
  /** The profile service answered with a fault (5xx, 429, a bad body, ...): retried with backoff. */
  'fault',
  /** The profile service answered something the contract does not list: retried, shown as a configuration problem. */
  'unexpected_answer',
  /** The feed no longer knows our cursor (410): a full resync follows. */
  'cursor_expired',
  /** The register is locked: someone must sign in. */
  'sign_in_required',
  /** Only a manager may do this (sign in over the associate). */
  'manager_required',
  /** The staff id or the PIN is wrong (the two are not told apart). */
  'wrong_pin',
  /** Five wrong PINs: the id is locked for a minute (retryAfterMs says how long). */
  'pin_locked',
  /** The sale cannot be finished as it is (no lines, a negative total, ...). */
  'sale_refused',
  /** A late identification that is not allowed (too late, another register, already a member). */
  'attach_refused',
] as const
export type ErrorCode = (typeof errorCodes)[number]

export type ErrorValue = { code: ErrorCode; message: string }

export class AppError extends Error {
  readonly code: ErrorCode
  /** For faults: the server asked us to wait this long (Retry-After). */
  readonly retryAfterMs: number | null
  constructor(code: ErrorCode, message: string, retryAfterMs: number | null = null) {
    super(message)
    this.name = 'AppError'
    this.code = code
    this.retryAfterMs = retryAfterMs
  }
}

export function toErrorValue(error: unknown): ErrorValue {
  if (error instanceof AppError) return { code: error.code, message: error.message }
  // better-sqlite3's SqliteError, told by its code (shared code does not import the driver).
  if (error instanceof Error && (error as Error & { code?: unknown }).code === 'SQLITE_BUSY') {
    return { code: 'db_busy', message: 'the database is busy: another Musubi process is writing to it (the first sync of the app puts its events in place for about half a minute); try again shortly' }
  }
  return { code: 'internal', message: error instanceof Error ? error.message : String(error) }
}

/** Invariant check with the caller's name in the message, e.g. `strictAssert(n === 1, 'applyPage: expected 1 row')`. */
export function strictAssert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new AppError('internal', message)
}
