// Staff, the audit log and the sale being rung up: local truth, never rebuilt from the feed.
import type { Migration } from './index.ts'

export const migration0070: Migration = {
  version: 70,
  name: 'staff, audit log, sale draft',
  up: (db) => {
    db.exec(`
      CREATE TABLE staff (
        staff_id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('associate', 'manager')),
        -- scrypt(PIN, salt): the PIN itself is never stored.
        pin_hash BLOB NOT NULL,
        pin_salt BLOB NOT NULL,
        failed_pins INTEGER NOT NULL DEFAULT 0,
        locked_until TEXT,
        created_at TEXT NOT NULL,
        created_by TEXT
      ) STRICT;

      -- Append-only: the triggers refuse any update or delete, whoever asks.
      CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        device_id TEXT NOT NULL,
        staff_id TEXT,
        action TEXT NOT NULL,
        subject TEXT,
        detail TEXT
      ) STRICT;
      CREATE INDEX audit_log_at ON audit_log (at);
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

      -- Who finished each sale here, and a parked sale a manager discarded (with why).
      ALTER TABLE sales ADD COLUMN staff_id TEXT;
      ALTER TABLE sales ADD COLUMN discarded_at TEXT;
      ALTER TABLE sales ADD COLUMN discard_reason TEXT;
      CREATE INDEX sales_recorded ON sales (recorded_at);

      -- The outbox gains 'discarded': a parked row a manager gave up on, with a written reason.
      CREATE TABLE outbox_next (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL CHECK (kind IN ('sale', 'member')),
        sale_id TEXT NOT NULL REFERENCES sales (sale_id),
        idempotency_key TEXT NOT NULL UNIQUE,
        path TEXT NOT NULL,
        -- The exact bytes first sent; every retry resends them.
        body TEXT NOT NULL,
        connector_key TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'parked', 'discarded')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT,
        last_error TEXT,
        created_at TEXT NOT NULL,
        sent_at TEXT,
        parked_at TEXT
      ) STRICT;
      INSERT INTO outbox_next SELECT * FROM outbox;
      DROP TABLE outbox;
      ALTER TABLE outbox_next RENAME TO outbox;
      CREATE INDEX outbox_pending ON outbox (state, seq);
      CREATE INDEX outbox_sale ON outbox (sale_id);
    `)
  },
}
