// What the server checks in a sale and what it derives from it: the feed's in-store `purchase` and
// `coupon_redeemed` events (profile-api.md, sections 1, 3 and 4).
import { z } from 'zod'
import { saleSchema, type ProfileEvent, type Sale } from '../../../shared/records.ts'
import type { FeedChange } from './store.ts'

/** JSON text of a value with object keys sorted: two bodies are the same JSON value iff these are equal. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value))
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (value !== null && typeof value === 'object') {
    const sorted: Record<string, unknown> = {}
    for (const key of Object.keys(value).sort()) sorted[key] = sortKeys((value as Record<string, unknown>)[key])
    return sorted
  }
  return value
}

function describe(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'body'}: ${issue.message}`).join('; ')
}

/** The sale in `body`, or why it is refused (422). */
export function checkSale(body: unknown, key: string, storeHeader: string): { sale: Sale } | { error: string } {
  const parsed = saleSchema.safeParse(body)
  if (!parsed.success) return { error: `invalid sale: ${describe(parsed.error)}` }
  const sale = parsed.data
  if (sale.saleId !== key) return { error: `saleId ${sale.saleId} differs from the Idempotency-Key ${key}` }
  if (sale.storeId !== storeHeader) return { error: `storeId ${sale.storeId} differs from X-Musubi-Store ${storeHeader}` }
  const sum = sale.lines.reduce((total, line) => total + line.qty * line.unitPrice - line.discount, 0)
  if (sale.total !== sum) return { error: `total ${sale.total} is not the sum over lines of qty × unitPrice − discount (${sum})` }
  return { sale }
}

const isoTime = z.string().min(1).refine((s) => !Number.isNaN(Date.parse(s)), 'not an RFC 3339 time')
const attachSchema = z.object({ memberId: z.string().min(1).max(64), staffId: z.string().min(1), at: isoTime })
export type Attach = z.infer<typeof attachSchema>

/** The member attachment in `body`, or why it is refused (422). */
export function checkAttach(body: unknown): { attach: Attach } | { error: string } {
  const parsed = attachSchema.safeParse(body)
  return parsed.success ? { attach: parsed.data } : { error: `invalid member attachment: ${describe(parsed.error)}` }
}

/**
 * The feed's events for a member's sale: one `purchase` per line, one `coupon_redeemed` per
 * coupon. Events belong to a member: an anonymous sale has none until a member is attached.
 */
export function saleEvents(sale: Sale, memberId: string | undefined): FeedChange[] {
  if (memberId === undefined) return []
  const member = { memberId }
  const common = { channel: 'store' as const, orderId: sale.saleId, storeId: sale.storeId, at: sale.at }
  const events: Array<Omit<ProfileEvent, 'memberId'> & { memberId?: string }> = [
    ...sale.lines.map((line, i) => ({
      id: `${sale.saleId}:${i}`,
      ...member,
      type: 'purchase' as const,
      sku: line.sku,
      qty: line.qty,
      price: line.unitPrice,
      ...common,
    })),
    ...sale.coupons.map((code) => ({
      id: `${sale.saleId}:coupon:${code}`,
      ...member,
      type: 'coupon_redeemed' as const,
      couponCode: code,
      ...common,
    })),
  ]
  return events.map((data) => ({ kind: 'event', op: 'upsert', id: data.id, data }))
}
