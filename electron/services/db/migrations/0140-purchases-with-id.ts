// Since 0130 the purchases index ends in a rowid, no longer in the event's id, and the recount of
// bought-together (rebuildSuggestData) read purchases without their ids: it then ordered a
// member's purchases at the same time differently from counting them page by page, which orders
// them by id, and where a purchase has more near partners than it counts (pairs.ts, MAX_PARTNERS)
// the two could differ (2,776,170 against 2,776,924 pairs at 1M/10M). With the id in the index the
// recount reads it there again, without a look-up per purchase.
import type { Migration } from './index.ts'

export const migration0140: Migration = {
  version: 140,
  name: 'purchases index holds the event id',
  up: (db) => {
    db.exec(`
      DROP INDEX events_member_purchases;
      CREATE INDEX events_member_purchases ON events (member_id, at, sku, qty, channel, store_id, id) WHERE type = 'purchase';
    `)
  },
}
