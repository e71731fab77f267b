// The cache of the shared profile: rebuilt from the feed, never the only copy of anything.
// `sync_gen` marks the full sync that last delivered a row, so a resync (410) can drop what it
// did not receive again.
import type { Migration } from './index.ts'

export const migration0010: Migration = {
  version: 10,
  name: 'cache tables',
  up: (db) => {
    db.exec(`
      CREATE TABLE sync_state (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        connector_key TEXT NOT NULL,
        cursor TEXT,
        generation INTEGER NOT NULL DEFAULT 1,
        full_sync_done INTEGER NOT NULL DEFAULT 0,
        last_success_at TEXT,
        skipped_changes INTEGER NOT NULL DEFAULT 0
      ) STRICT;

      CREATE TABLE customers (
        rowid INTEGER PRIMARY KEY,
        member_id TEXT NOT NULL UNIQUE,
        record TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        sync_gen INTEGER NOT NULL
      ) STRICT;
      -- One column of normalised search terms (see shared/text/search-terms.ts); contentless,
      -- keyed by customers.rowid.
      CREATE VIRTUAL TABLE customers_fts USING fts5(
        terms, content='', contentless_delete=1, tokenize='unicode61', prefix='1 2 3'
      );

      CREATE TABLE stores (
        store_id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        sync_gen INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE products (
        sku TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        price_yen INTEGER NOT NULL,
        active INTEGER NOT NULL,
        record TEXT NOT NULL,
        sync_gen INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE product_barcodes (
        code TEXT PRIMARY KEY,
        sku TEXT NOT NULL
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX product_barcodes_sku ON product_barcodes (sku);

      CREATE TABLE inventory (
        id TEXT PRIMARY KEY,
        store_id TEXT NOT NULL,
        sku TEXT NOT NULL,
        on_hand INTEGER NOT NULL,
        sync_gen INTEGER NOT NULL
      ) STRICT;
      CREATE UNIQUE INDEX inventory_store_sku ON inventory (store_id, sku);

      CREATE TABLE coupons (
        code TEXT PRIMARY KEY,
        record TEXT NOT NULL,
        sync_gen INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE events (
        id TEXT PRIMARY KEY,
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
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX events_member_at ON events (member_id, at);
    `)
  },
}
