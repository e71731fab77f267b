// A first sync brings the whole history (10M events for a million members). Written into
// `events` as they come, every page dirtied pages all over its id tree and its member index (a
// fifth of the ids are random: order ids), and the sync took four minutes, mostly rewriting
// those pages. Instead the events of a first sync are appended here, with no index at all, and
// moved into `events` once, sorted, when the feed is caught up (db/staged-events.ts).
import type { Migration } from './index.ts'

export const migration0090: Migration = {
  version: 90,
  name: 'staged events of a first sync',
  up: (db) => {
    db.exec(`
      -- Columns as in events; in feed order (rowid), duplicates and all.
      CREATE TABLE events_staged (
        id TEXT NOT NULL,
        member_id TEXT NOT NULL,
        type TEXT NOT NULL,
        channel TEXT NOT NULL,
        sku TEXT,
        qty INTEGER,
        price_yen INTEGER,
        order_id TEXT,
        store_id TEXT,
        coupon_code TEXT,
        at TEXT NOT NULL,
        sync_gen INTEGER NOT NULL
      ) STRICT;
      -- Deletes the feed sent while events were staged: an event (id) or all of a member's
      -- (member_id), applying to the staged rows up to staged_upto (rowid).
      CREATE TABLE events_staged_deletes (
        staged_upto INTEGER NOT NULL,
        id TEXT,
        member_id TEXT
      ) STRICT;
      CREATE INDEX events_staged_deletes_id ON events_staged_deletes (id, staged_upto) WHERE id IS NOT NULL;
      CREATE INDEX events_staged_deletes_member ON events_staged_deletes (member_id, staged_upto) WHERE member_id IS NOT NULL;
      -- 1 while a first sync stages its events.
      ALTER TABLE sync_state ADD COLUMN staging INTEGER NOT NULL DEFAULT 0;
    `)
  },
}
