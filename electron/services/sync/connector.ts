// A connector turns a source (the demo retailer, a profile service over HTTP, ...) into pages of
// changes. Everything above this interface is the same code for every source.
import type { Customer, ProfileEvent, RawChange } from '../../../shared/records.ts'

export type ChangePage = {
  changes: RawChange[]
  /** Opaque; stored with the applied page in one transaction and sent back on the next pull. */
  cursor: string
  hasMore: boolean
  /**
   * How far through the whole feed this page ends, when the source knows it (the demo does; a
   * profile service over HTTP does not). Drives the progress bar and its ETA.
   */
  progress?: { done: number; total: number }
}

export type CustomerWithEvents = { customer: Customer; events: ProfileEvent[] }

/** One outbox row as it goes upstream: the same key and the same bytes on every try. */
export type OutboxRequest = { path: string; idempotencyKey: string; body: string }

export type SendOutcome =
  /** Stored upstream (201, or 200 for a replay of the same key and body). */
  | { kind: 'sent' }
  /** Not now (409 in progress, 404 for an attachment whose sale is not there yet): try again later. */
  | { kind: 'retry'; reason: string; retryAfterMs: number | null }
  /** 422: the server will never take these bytes; park for a manager. */
  | { kind: 'rejected'; reason: string }

/**
 * Failures are thrown as AppError: 'offline' (no connection, timeout), 'unauthorized' (401/403:
 * stop until the configuration changes), 'fault' and 'unexpected_answer' (retry with backoff,
 * honouring `retryAfterMs`), 'cursor_expired' (410 from the feed: resync from the beginning).
 */
export interface Connector {
  readonly kind: 'demo' | 'http'
  /** Pull the page after `cursor` (null: from the beginning, a full sync). */
  pullChanges(cursor: string | null, limit: number, signal?: AbortSignal): Promise<ChangePage>
  /** One member on demand (profile-api.md 2); null when the source does not know them. */
  fetchCustomer(memberId: string, signal?: AbortSignal): Promise<CustomerWithEvents | null>
  /** Sends one outbox row (profile-api.md 3 and 4). */
  send(request: OutboxRequest, signal?: AbortSignal): Promise<SendOutcome>
  /** The server's clock, for `doctor` (from the Date header of a cheap request); null when the source has none. */
  serverTime?(signal?: AbortSignal): Promise<Date | null>
}
