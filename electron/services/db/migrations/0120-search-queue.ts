// The customer search index moves out of the register's database into its own file
// (db/search-index.ts), written by a worker thread from a queue that customer writes fill in
// their own transaction, with the customer's search terms (none: read the customer's record). The queue's numbers never repeat (AUTOINCREMENT): the index keeps the
// last one it applied. `search_state` names the index file this queue feeds; a register opening
// an index it does not know (none yet, as after this migration) fills the queue with every
// customer again.
import type { Migration } from './index.ts'

export const migration0120: Migration = {
  version: 120,
  name: 'search index in its own file, fed by a queue',
  up: (db) => {
    db.exec(`
      DROP TABLE customers_fts;
      CREATE TABLE search_queue (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        customer_rowid INTEGER,
        op INTEGER NOT NULL,
        terms TEXT
      ) STRICT;
      CREATE TABLE search_state (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        instance TEXT NOT NULL
      ) STRICT;
    `)
  },
}
