// The customers cache and its search index.
import type { Customer } from '../../../shared/records.ts'
import { customerSearchQuery, customerSearchTerms } from '../../../shared/text/search-terms.ts'
import { foldForSearch } from '../../../shared/text/normalize.ts'
import { prepared, type ReadableDB, type WritableDB } from './handle.ts'
import { enqueueSearch, SearchOp } from './search-index.ts'
import { searchIndexer } from './search-indexer.ts'

type CustomerRow = { rowid: number; member_id: string; record: string }

export type ConsentChange = 'withdrawn' | 'restored' | null

/**
 * Stores the customer; answers how their personalization consent changed (null: it did not). One
 * statement for a customer new to the cache, the common case (a first sync): no look-up before it.
 */
export function upsertCustomer(db: WritableDB, customer: Customer, generation: number): ConsentChange {
  const record = JSON.stringify(customer)
  const personalization = customer.consent.personalization ? 1 : 0
  const inserted = prepared(
    db,
    'INSERT INTO customers (member_id, record, updated_at, sync_gen, personalization) VALUES (?, ?, ?, ?, ?) ON CONFLICT (member_id) DO NOTHING',
  ).run(customer.memberId, record, customer.updatedAt, generation, personalization)
  if (inserted.changes === 1) {
    enqueueSearch(db, Number(inserted.lastInsertRowid), SearchOp.added, customerSearchTerms(customer))
    searchIndexer(db).changed()
    return personalization === 0 ? 'withdrawn' : null
  }
  const existing = prepared<[string], { rowid: number; personalization: number }>(db, 'SELECT rowid, personalization FROM customers WHERE member_id = ?').get(customer.memberId)!
  prepared(db, 'UPDATE customers SET record = ?, updated_at = ?, sync_gen = ?, personalization = ? WHERE rowid = ?').run(record, customer.updatedAt, generation, personalization, existing.rowid)
  enqueueSearch(db, existing.rowid, SearchOp.changed, customerSearchTerms(customer))
  searchIndexer(db).changed()
  if (personalization === 0) return existing.personalization === 0 ? null : 'withdrawn'
  return existing.personalization === 0 ? 'restored' : null
}

/**
 * True when the cache holds this customer without personalization consent. Asked per member of
 * every feed page: answered from the small index of those members (migration 0080), which the
 * planner would pass over for the unique member index and two random reads of the table.
 */
export function withoutConsent(db: ReadableDB, memberId: string): boolean {
  return prepared<[string], { one: number }>(db, WITHOUT_CONSENT_SQL).get(memberId) !== undefined
}

export const WITHOUT_CONSENT_SQL = 'SELECT 1 AS one FROM customers INDEXED BY customers_without_consent WHERE member_id = ? AND personalization = 0'

/** Removes the customer and, as profile-api.md says, their events. */
export function deleteCustomer(db: WritableDB, memberId: string): void {
  const row = prepared<[string], { rowid: number }>(db, 'SELECT rowid FROM customers WHERE member_id = ?').get(memberId)
  if (row) {
    prepared(db, 'DELETE FROM customers WHERE rowid = ?').run(row.rowid)
    enqueueSearch(db, row.rowid, SearchOp.removed, null)
    searchIndexer(db).changed()
  }
  prepared(db, 'DELETE FROM events WHERE member_id = ?').run(memberId)
}

export function getCustomer(db: ReadableDB, memberId: string): Customer | null {
  const row = prepared<[string], CustomerRow>(db, 'SELECT rowid, member_id, record FROM customers WHERE member_id = ?').get(memberId)
  return row ? rowToCustomer(row) : null
}

function rowToCustomer(row: CustomerRow): Customer {
  return JSON.parse(row.record) as Customer
}

export function countCustomers(db: ReadableDB): number {
  return (prepared(db, 'SELECT count(*) AS n FROM customers').get() as { n: number }).n
}

/**
 * Customers matching what the associate typed, best first: an exact member number, then FTS5
 * rank. The index answers row ids (db/search-index.ts); a row it still lists after the customer
 * left the cache is passed over.
 */
export function searchCustomers(db: ReadableDB, input: string, limit = 20): Customer[] {
  const query = customerSearchQuery(input)
  if (!query) return []
  const exact = getCustomer(db, input.trim()) ?? getCustomer(db, foldForSearch(input.trim()).toUpperCase())
  const indexer = searchIndexer(db)
  indexer.beforeSearch()
  // A one-character word matches thousands of members; ranking them all costs more than it
  // tells, so such queries take the first matches as they come.
  const broad = /"[^"\s]"\*/.test(query)
  const hits = prepared<[string, number], number>(
    indexer.search,
    broad ? 'SELECT rowid FROM customers_fts WHERE customers_fts MATCH ? LIMIT ?' : 'SELECT rowid FROM customers_fts WHERE customers_fts MATCH ? ORDER BY rank LIMIT ?',
  )
    .pluck()
    .all(query, limit)
  const byRowid = prepared<[number], CustomerRow>(db, 'SELECT rowid, member_id, record FROM customers WHERE rowid = ?')
  const found: Customer[] = []
  for (const rowid of hits) {
    const row = byRowid.get(rowid)
    if (row) found.push(rowToCustomer(row))
  }
  if (!exact) return found
  return [exact, ...found.filter((c) => c.memberId !== exact.memberId)].slice(0, limit)
}
