// PINs are kept only as a salted scrypt hash and compared in constant time.
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto'

/** scrypt cost: about 20–40 ms per check on a register, far too slow to guess 10^6 PINs offline quickly. */
const SCRYPT = { N: 1 << 14, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const
const KEY_BYTES = 32

export type PinHash = { hash: Buffer; salt: Buffer }

/** 4 to 8 digits (typed on the register's keypad; ASCII digits only after normalisation). */
export const PIN_PATTERN = /^[0-9]{4,8}$/

export function hashPin(pin: string, salt: Buffer = randomBytes(16)): PinHash {
  return { hash: scryptSync(pin.normalize('NFKC'), salt, KEY_BYTES, SCRYPT), salt }
}

export function pinMatches(pin: string, stored: PinHash): boolean {
  const candidate = scryptSync(pin.normalize('NFKC'), stored.salt, KEY_BYTES, SCRYPT)
  return candidate.length === stored.hash.length && timingSafeEqual(candidate, stored.hash)
}
