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

export interface Connector {
  readonly kind: 'demo' | 'http'
  /** Pull the page after `cursor` (null: from the beginning, a full sync). */
  pullChanges(cursor: string | null, limit: number, signal?: AbortSignal): Promise<ChangePage>
  /** One member on demand (profile-api.md 2); null when the source does not know them. */
  fetchCustomer(memberId: string, signal?: AbortSignal): Promise<CustomerWithEvents | null>
}
