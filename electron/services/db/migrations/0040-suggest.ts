// Suggestions: what the engine derives from the cache, kept up to date as the feed applies
// purchases (suggest/cooccurrence.ts), and the associates' dismissals, which are local.
import { rebuildSuggestData } from '../../suggest/cooccurrence.ts'
import type { Migration } from './index.ts'

export const migration0040: Migration = {
  version: 40,
  name: 'suggestions',
  up: (db) => {
    db.exec(`
      -- Derived from cached purchases (cache-side: emptied with the cache, see sync-state.ts).
      -- Items by a small number: pairs are millions of rows, and integer keys keep their trees
      -- small enough to stay in the page cache while a page of the feed updates them.
      CREATE TABLE items (
        id INTEGER PRIMARY KEY,
        sku TEXT NOT NULL UNIQUE
      ) STRICT;
      -- Members who bought each item (and how many of them bought it on two days or more, with
      -- the days between one member's purchases of it summed over \`gaps\` gaps).
      CREATE TABLE item_buyers (
        item INTEGER PRIMARY KEY,
        buyers INTEGER NOT NULL,
        repeaters INTEGER NOT NULL,
        gap_days REAL NOT NULL,
        gaps INTEGER NOT NULL
      ) STRICT;
      -- Per pair of items, the members who bought both within 30 days (both directions stored, so
      -- an item's partners, most members first, are one range of item_pairs_rank).
      CREATE TABLE item_pairs (
        a INTEGER NOT NULL,
        b INTEGER NOT NULL,
        together INTEGER NOT NULL,
        PRIMARY KEY (a, b)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX item_pairs_rank ON item_pairs (a, together DESC, b);
      -- Pair increments of a large page waiting to be merged into item_pairs in key order.
      CREATE TABLE item_pairs_new (
        a INTEGER NOT NULL,
        b INTEGER NOT NULL,
        n INTEGER NOT NULL
      ) STRICT;
      -- "Selling here now" (store_id '' is online): units sold per UTC day, and each item's trend
      -- weight (sales decayed by age, see suggest/popularity.ts), best first on item_trend_rank.
      CREATE TABLE item_sales (
        store_id TEXT NOT NULL,
        sku TEXT NOT NULL,
        day TEXT NOT NULL,
        qty INTEGER NOT NULL,
        PRIMARY KEY (store_id, sku, day)
      ) STRICT, WITHOUT ROWID;
      CREATE TABLE item_trend (
        store_id TEXT NOT NULL,
        sku TEXT NOT NULL,
        weight REAL NOT NULL,
        PRIMARY KEY (store_id, sku)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX item_trend_rank ON item_trend (store_id, weight DESC);

      -- Local, never rebuilt: "not interested", per customer and product, until a day.
      CREATE TABLE suggestion_dismissals (
        member_id TEXT NOT NULL,
        sku TEXT NOT NULL,
        until TEXT NOT NULL,
        PRIMARY KEY (member_id, sku)
      ) STRICT, WITHOUT ROWID;

      -- A member's purchases without reading their views (a heavy member has thousands).
      CREATE INDEX events_member_purchases ON events (member_id, at, sku) WHERE type = 'purchase';
    `)
    // A cache synced before this version: count what it already holds.
    rebuildSuggestData(db)
  },
}
