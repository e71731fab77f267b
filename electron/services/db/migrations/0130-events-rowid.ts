// `events` was keyed by its text id (WITHOUT ROWID), so a first sync moved its 10M staged events
// in through a sort of the whole rows by id. Now rows have a rowid and the id a unique index of
// its own: the staged events are appended in feed order (no sort of the rows), and only the
// index's (id, rowid) entries are sorted. Measured on copies of a 1M/10M first sync stopped at
// the start of its finish, alternating with the code before: its first step (the move, the
// indexes built again, the consent filter) 18.3-22.6 s in four runs against 23.3-28.0 s in seven;
// the member index 428 MB against 569 MB (its entries end in a rowid, not an id). The timeline's
// tie-break for equal times becomes the rowid (db/events.ts), which the member index holds.
// A cache synced before this migrates by copying its events once, with a rollback journal
// (db/open.ts, migrate): 15.9 s for a synced 1M/9.5M cache.
import type { Migration } from './index.ts'

export const migration0130: Migration = {
  version: 130,
  name: 'events with rowids, the id a unique index',
  up: (db) => {
    db.exec(`
      CREATE TABLE events_with_rowid (
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
      INSERT INTO events_with_rowid SELECT * FROM events;
      DROP TABLE events;
      ALTER TABLE events_with_rowid RENAME TO events;
      CREATE UNIQUE INDEX events_id ON events (id);
      CREATE INDEX events_member_at ON events (member_id, at);
      CREATE INDEX events_member_purchases ON events (member_id, at, sku, qty, channel, store_id) WHERE type = 'purchase';
      CREATE INDEX events_coupon ON events (coupon_code, member_id) WHERE coupon_code IS NOT NULL;
    `)
  },
}
