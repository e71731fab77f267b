// Recording a finished sale: the sale, its outbox row and its lines in the customer's timeline
// commit in one transaction, before anything is sent. Nothing the associate finished is lost.
import { AppError } from '../../../shared/errors.ts'
import { saleSchema, type ProfileEvent, type Sale } from '../../../shared/records.ts'
import { saleTotal } from '../../../shared/sales/totals.ts'
import { upsertEvent } from '../db/events.ts'
import { inTransaction, type WritableDB } from '../db/handle.ts'
import { enqueue, insertSale, saleExists, touchMember } from '../db/sales.ts'
import { onEventsApplied } from '../suggest/cooccurrence.ts'

/** Events rows written for a local sale carry generation 0: local, kept by a resync's sweep. */
export const LOCAL_GENERATION = 0

export type RecordContext = { db: WritableDB; storeId: string; deviceId: string; connectorKey: string; now: () => Date }

export type RecordResult = { saleId: string; recorded: true } | { saleId: string; recorded: false; reason: 'duplicate' }

/** Checks a sale as the server will (profile-api.md 3), so a refusal comes here, not after hours offline. */
export function validateSale(input: unknown, context: Pick<RecordContext, 'storeId' | 'deviceId'>): Sale {
  const parsed = saleSchema.safeParse(input)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    throw new AppError('invalid_input', `"${issue.path.join('.') || 'sale'}": ${issue.message}`)
  }
  const sale = parsed.data
  if (sale.storeId !== context.storeId) throw new AppError('invalid_input', `"storeId": ${sale.storeId} is not this register's store (${context.storeId})`)
  if (sale.deviceId !== context.deviceId) throw new AppError('invalid_input', `"deviceId": ${sale.deviceId} is not this register (${context.deviceId})`)
  const total = saleTotal(sale.lines)
  if (total !== sale.total) throw new AppError('invalid_input', `"total": ${sale.total} is not the sum of the lines (${total})`)
  if (total < 0) throw new AppError('invalid_input', '"total": a sale cannot total less than zero')
  for (const [i, line] of sale.lines.entries()) {
    if (line.discount > line.qty * line.unitPrice) throw new AppError('invalid_input', `"lines.${i}.discount": larger than the line's amount`)
  }
  return sale
}

/**
 * The sale's lines and coupons as the member's events, under the ids the feed will bring back
 * (profile-api.md 1), so nothing is counted twice; bought-together counts see the new purchases.
 */
export function addSaleToTimeline(db: WritableDB, sale: Sale, memberId: string, at: string): void {
  const purchases = sale.lines.map(
    (line, i): ProfileEvent => ({ id: `${sale.saleId}:${i}`, memberId, type: 'purchase', channel: 'store', sku: line.sku, qty: line.qty, price: line.unitPrice, orderId: sale.saleId, storeId: sale.storeId, at: sale.at }),
  )
  onEventsApplied(
    db,
    purchases.filter((purchase) => upsertEvent(db, purchase, LOCAL_GENERATION)),
  )
  for (const code of sale.coupons) {
    upsertEvent(db, { id: `${sale.saleId}:coupon:${code}`, memberId, type: 'coupon_redeemed', channel: 'store', couponCode: code, orderId: sale.saleId, storeId: sale.storeId, at: sale.at }, LOCAL_GENERATION)
  }
  touchMember(db, memberId, 'last_sold_at', at)
}

export function recordSale(context: RecordContext, input: unknown): RecordResult {
  const sale = validateSale(input, context)
  const { db } = context
  const body = JSON.stringify(sale)
  const recordedAt = context.now().toISOString()
  return inTransaction(db, () => {
    if (saleExists(db, sale.saleId)) return { saleId: sale.saleId, recorded: false, reason: 'duplicate' } as const
    insertSale(db, { saleId: sale.saleId, memberId: sale.memberId ?? null, staffId: sale.staffId, at: sale.at, totalYen: sale.total, body, connectorKey: context.connectorKey, recordedAt })
    enqueue(db, { kind: 'sale', saleId: sale.saleId, idempotencyKey: sale.saleId, path: '/v1/sales', body, connectorKey: context.connectorKey, createdAt: recordedAt })
    if (sale.memberId) addSaleToTimeline(db, sale, sale.memberId, recordedAt)
    return { saleId: sale.saleId, recorded: true } as const
  })
}
