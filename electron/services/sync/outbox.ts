// Pushing the outbox: in the order recorded, one row at a time, the same idempotency key and the
// same bytes on every try. A refused row (422) is parked for a manager and leaves the queue; a
// row that must wait holds back the rows behind it.
import { AppError } from '../../../shared/errors.ts'
import type { WritableDB } from '../db/handle.ts'
import { headOfOutbox, markRetry, markSent, park } from '../db/sales.ts'
import { prepared } from '../db/handle.ts'
import type { Connector } from './connector.ts'
import { backoffMs, type RetryPolicy } from './retry.ts'

export type PushContext = { db: WritableDB; connector: Connector; connectorKey: string; now: () => Date; retry: RetryPolicy }

export type PushResult = {
  sent: number
  parked: number
  /** When the head of the queue may be tried again; null when the queue is empty. */
  blockedUntil: Date | null
}

/** The outbox row each database's sender has on the wire right now (its bytes can no longer change). */
const sending = new WeakMap<WritableDB, number>()

export function isSending(db: WritableDB, seq: number): boolean {
  return sending.get(db) === seq
}

function saleState(db: WritableDB, saleId: string): string | null {
  return prepared<[string], { state: string }>(db, `SELECT state FROM outbox WHERE sale_id = ? AND kind = 'sale'`).get(saleId)?.state ?? null
}

/**
 * Sends what is due. Network failures and faults are recorded on the row (attempts, next try)
 * and then thrown, so the round reports them; 401/403 is thrown untouched. Counts go into
 * `result` as rows are sent, so a caller still sees what got through when a later row throws.
 */
export async function pushOutbox(context: PushContext, signal?: AbortSignal, result: PushResult = { sent: 0, parked: 0, blockedUntil: null }): Promise<PushResult> {
  const { db, connector, connectorKey, now, retry } = context
  for (;;) {
    signal?.throwIfAborted()
    const head = headOfOutbox(db, connectorKey)
    if (!head) return result
    if (head.nextAttemptAt && Date.parse(head.nextAttemptAt) > now().getTime()) {
      result.blockedUntil = new Date(head.nextAttemptAt)
      return result
    }
    if (head.kind === 'member' && saleState(db, head.saleId) === 'parked') {
      park(db, head.seq, now().toISOString(), 'its sale was refused and parked; attach the member after the sale is fixed')
      result.parked++
      continue
    }
    let outcome
    sending.set(db, head.seq)
    try {
      outcome = await connector.send({ path: head.path, idempotencyKey: head.idempotencyKey, body: head.body }, signal)
    } catch (error) {
      if (error instanceof AppError && error.code !== 'unauthorized') {
        const wait = backoffMs(retry, head.attempts + 1, error.retryAfterMs)
        markRetry(db, head.seq, new Date(now().getTime() + wait).toISOString(), error.message)
      }
      throw error
    } finally {
      sending.delete(db)
    }
    switch (outcome.kind) {
      case 'sent':
        markSent(db, head.seq, now().toISOString())
        result.sent++
        break
      case 'rejected':
        park(db, head.seq, now().toISOString(), outcome.reason)
        result.parked++
        break
      case 'retry': {
        const at = new Date(now().getTime() + backoffMs(retry, head.attempts + 1, outcome.retryAfterMs))
        markRetry(db, head.seq, at.toISOString(), outcome.reason)
        result.blockedUntil = at
        return result
      }
    }
  }
}
