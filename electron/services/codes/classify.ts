// What a scanned text is, in the order profile-api.md gives ("the first row that matches wins"):
// app QR (JWS), staff badge, printed member card, coupon known to the cache, product, unknown.
// A read that is detectably broken (a cut-off JWS, two codes run together) asks for a rescan.
import { isValidGtin } from '../../../shared/codes/gtin.ts'
import { normalizeScanText } from '../../../shared/codes/scan-text.ts'
import type { Coupon, Product } from '../../../shared/records.ts'
import { getCoupon, productByBarcode } from '../db/catalog.ts'
import type { ReadableDB } from '../db/handle.ts'
import { looksLikeJws, type AppQrRefusal, type AppQrVerifier } from './app-qr.ts'

export type PartialReason = 'cut_short' | 'two_codes'

export type Classification =
  | { kind: 'member'; memberId: string; via: 'app_qr' | 'card'; symbology: string | null }
  | { kind: 'member_refused'; reason: AppQrRefusal; memberId: string | null }
  | { kind: 'staff'; staffId: string }
  | { kind: 'coupon'; coupon: Coupon }
  | { kind: 'product'; code: string; product: Product | null }
  | { kind: 'partial'; reason: PartialReason; text: string }
  | { kind: 'unknown'; text: string }

export type ClassifyContext = {
  db: ReadableDB
  memberPattern: RegExp
  staffPattern: RegExp
  verifyAppQr: AppQrVerifier
  now: () => Date
}

/** A pattern from the config, matched against the whole text (profile-api.md). */
export function wholeTextPattern(source: string): RegExp {
  return new RegExp(`^(?:${source})$`)
}

/** Base64url JSON headers start `eyJ` (`{"`): a text like that without the full three parts was cut short. */
const JWS_START = /^eyJ[A-Za-z0-9_-]*(\.[A-Za-z0-9_-]*)?$/

function isCode(context: ClassifyContext, text: string): boolean {
  return context.memberPattern.test(text) || context.staffPattern.test(text) || isValidGtin(text)
}

/** Two complete codes without the scanner's suffix between them. */
function twoCodesRunTogether(context: ClassifyContext, text: string): boolean {
  if (text.length > 64) return false
  for (let i = 4; i <= text.length - 4; i++) {
    if (isCode(context, text.slice(0, i)) && isCode(context, text.slice(i))) return true
  }
  return false
}

export async function classifyScan(context: ClassifyContext, raw: string): Promise<Classification> {
  const { text, symbology } = normalizeScanText(raw)
  if (text.length === 0) return { kind: 'unknown', text }
  if (looksLikeJws(text)) {
    const verified = await context.verifyAppQr(text, context.now())
    if (verified.ok) return { kind: 'member', memberId: verified.memberId, via: 'app_qr', symbology }
    return { kind: 'member_refused', reason: verified.reason, memberId: verified.memberId }
  }
  if (context.staffPattern.test(text)) return { kind: 'staff', staffId: text }
  if (context.memberPattern.test(text)) return { kind: 'member', memberId: text, via: 'card', symbology }
  const coupon = getCoupon(context.db, text)
  if (coupon) return { kind: 'coupon', coupon }
  const product = productByBarcode(context.db, text)
  if (product || isValidGtin(text)) return { kind: 'product', code: text, product }
  if (JWS_START.test(text) && text.length >= 8) return { kind: 'partial', reason: 'cut_short', text }
  if (twoCodesRunTogether(context, text)) return { kind: 'partial', reason: 'two_codes', text }
  return { kind: 'unknown', text }
}
