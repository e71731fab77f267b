// A first sync staged its events one row each (0090): binding a dozen values per row cost the
// main thread about 4 µs an event, 40 s of a 10M-event sync. Now each page's events are staged as
// one JSONB array (db/event-rows.ts), which the merge at the end reads with jsonb_each.
import type { Migration } from './index.ts'

export const migration0100: Migration = {
  version: 100,
  name: 'staged events in batches',
  up: (db) => {
    db.exec(`
      -- One page's events (or the part of a page before a delete), in feed order: a JSONB array
      -- of rows as db/event-rows.ts writes them; n rows. seq orders the batches.
      CREATE TABLE events_staged_batches (
        seq INTEGER PRIMARY KEY,
        rows BLOB NOT NULL,
        n INTEGER NOT NULL,
        sync_gen INTEGER NOT NULL
      ) STRICT;
      -- A first sync under way keeps what it staged: each row a batch of its own, numbered as
      -- before, so the deletes' staged_upto still count the same.
      INSERT INTO events_staged_batches (seq, rows, n, sync_gen)
        SELECT rowid, jsonb_array(json_array(id, member_id, type, channel, sku, qty, price_yen, order_id, store_id, coupon_code, at)), 1, sync_gen
          FROM events_staged ORDER BY rowid;
      DROP TABLE events_staged;
    `)
  },
}
