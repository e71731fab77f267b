// What a scanned text is, in the order profile-api.md gives ("the first row that matches wins").
// The app QR (JWS) and staff badge rows arrive with scanning and staff sign-in; until then such
// texts fall through to the rows below and end as "unknown code".
import { isValidGtin } from '../../../shared/codes/gtin.ts'
import { normalizeScanText } from '../../../shared/codes/scan-text.ts'
import type { Coupon, Product } from '../../../shared/records.ts'
import { getCoupon, productByBarcode } from '../db/catalog.ts'
import type { ReadableDB } from '../db/handle.ts'

export type Classification =
  | { kind: 'member'; memberId: string; symbology: string | null }
  | { kind: 'coupon'; coupon: Coupon }
  | { kind: 'product'; code: string; product: Product | null }
  | { kind: 'unknown'; text: string }

export type ClassifyContext = { db: ReadableDB; memberPattern: RegExp }

/** A member-number pattern from the config, matched against the whole text. */
export function wholeTextPattern(source: string): RegExp {
  return new RegExp(`^(?:${source})$`)
}

export function classifyScan(context: ClassifyContext, raw: string): Classification {
  const { text, symbology } = normalizeScanText(raw)
  if (text.length === 0) return { kind: 'unknown', text }
  if (context.memberPattern.test(text)) return { kind: 'member', memberId: text, symbology }
  const coupon = getCoupon(context.db, text)
  if (coupon) return { kind: 'coupon', coupon }
  const product = productByBarcode(context.db, text)
  if (product || isValidGtin(text)) return { kind: 'product', code: text, product }
  return { kind: 'unknown', text }
}
