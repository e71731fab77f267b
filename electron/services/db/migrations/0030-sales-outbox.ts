// Sales recorded at this register and the outbox that sends them upstream. Local truth: never
// rebuilt from the feed. A sale and its outbox row are written in one transaction.
import type { Migration } from './index.ts'

export const migration0030: Migration = {
  version: 30,
  name: 'sales, outbox, resync and consent',
  up: (db) => {
    db.exec(`
      -- A resync (after 410) marks the cache rows it receives again with a new generation and
      -- drops the rest when it completes.
      ALTER TABLE sync_state ADD COLUMN resyncing INTEGER NOT NULL DEFAULT 0;
      -- Without personalization consent the cache keeps no views, carts or wishlists.
      ALTER TABLE customers ADD COLUMN personalization INTEGER NOT NULL DEFAULT 1;

      CREATE TABLE sales (
        sale_id TEXT PRIMARY KEY,
        member_id TEXT,
        at TEXT NOT NULL,
        total_yen INTEGER NOT NULL,
        body TEXT NOT NULL,
        -- The source the register was connected to when the sale was recorded: a sale is only
        -- ever sent to that source (demo sales never reach a real server).
        connector_key TEXT NOT NULL,
        recorded_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX sales_member ON sales (member_id, at);

      CREATE TABLE outbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL CHECK (kind IN ('sale', 'member')),
        sale_id TEXT NOT NULL REFERENCES sales (sale_id),
        idempotency_key TEXT NOT NULL UNIQUE,
        path TEXT NOT NULL,
        -- The exact bytes first sent; every retry resends them.
        body TEXT NOT NULL,
        connector_key TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'parked')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT,
        last_error TEXT,
        created_at TEXT NOT NULL,
        sent_at TEXT,
        parked_at TEXT
      ) STRICT;
      CREATE INDEX outbox_pending ON outbox (state, seq);

      -- Which members this register has seen (scanned or sold to), for cache retention.
      CREATE TABLE member_touches (
        member_id TEXT PRIMARY KEY,
        last_scanned_at TEXT,
        last_sold_at TEXT
      ) STRICT, WITHOUT ROWID;
    `)
  },
}
