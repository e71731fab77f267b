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
  'sync_failed',
  'unauthorized',
  'offline',
] as const
export type ErrorCode = (typeof errorCodes)[number]

export type ErrorValue = { code: ErrorCode; message: string }

export class AppError extends Error {
  readonly code: ErrorCode
  constructor(code: ErrorCode, message: string) {
    super(message)
    this.name = 'AppError'
    this.code = code
  }
}

export function toErrorValue(error: unknown): ErrorValue {
  if (error instanceof AppError) return { code: error.code, message: error.message }
  return { code: 'internal', message: error instanceof Error ? error.message : String(error) }
}

/** Invariant check with the caller's name in the message, e.g. `strictAssert(n === 1, 'applyPage: expected 1 row')`. */
export function strictAssert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new AppError('internal', message)
}
