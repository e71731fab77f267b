// The reference server's own SQLite database: the changes feed, the sales it received, the
// idempotency keys (kept for good) and the cursor expiries. WAL + synchronous=FULL, so a commit
// the server made before a crash or an abrupt restart is there afterwards.
import { randomUUID } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'

export type FeedChange = { kind: string; op: 'upsert' | 'delete'; id: string; data?: unknown }
/** A row of the feed with `data` still as stored JSON text (null for a delete). */
export type FeedRow = { seq: number; kind: string; op: string; id: string; data: string | null }
export type KeyScope = 'sale' | 'member'
export type StoredKey = { request: string; status: number; response: string }
export type StoredSale = { saleId: string; body: string; receivedAt: string; memberId: string | null }
/** A change to append whose `data` is already JSON text. */
type EncodedChange = { kind: string; op: string; id: string; data: string | null; memberId: string | null }

const schema = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS changes (
  seq INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  op TEXT NOT NULL,
  id TEXT NOT NULL,
  data TEXT,
  member_id TEXT            -- data.memberId of an event, so /v1/customers/{id} finds its events
);
CREATE INDEX IF NOT EXISTS changes_by_record ON changes (kind, id, seq);
CREATE INDEX IF NOT EXISTS changes_by_member ON changes (member_id) WHERE member_id IS NOT NULL;
CREATE TABLE IF NOT EXISTS sales (
  sale_id TEXT PRIMARY KEY,
  body TEXT NOT NULL,        -- the body exactly as first received
  received_at TEXT NOT NULL,
  member_id TEXT
);
CREATE TABLE IF NOT EXISTS idempotency_keys (
  scope TEXT NOT NULL,       -- 'sale' or 'member': the call the key belongs to
  key TEXT NOT NULL,         -- kept for good: a register may come back after days offline
  request TEXT NOT NULL,     -- canonical JSON of the first body (compared as JSON values)
  status INTEGER NOT NULL,   -- of the first answer (201)
  response TEXT NOT NULL,    -- body of the first answer, sent again on a replay
  created_at TEXT NOT NULL,
  PRIMARY KEY (scope, key)
);
CREATE TABLE IF NOT EXISTS cursor_expiries (epoch INTEGER PRIMARY KEY, before_seq INTEGER NOT NULL);
`

function encode(change: FeedChange): EncodedChange {
  const data = change.op === 'upsert' && change.data !== undefined ? JSON.stringify(change.data) : null
  const record = change.data as { memberId?: unknown } | null | undefined
  const memberId = change.kind === 'event' && typeof record?.memberId === 'string' ? record.memberId : null
  return { kind: change.kind, op: change.op, id: change.id, data, memberId }
}

export function openStore(file: string) {
  mkdirSync(dirname(file), { recursive: true })
  const db = new Database(file)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = FULL')
  db.pragma('busy_timeout = 5000')
  db.exec(schema)
  db.prepare('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)').run('feedId', randomUUID())
  const feedId = (db.prepare('SELECT value FROM meta WHERE key = ?').get('feedId') as { value: string }).value

  const insertChange = db.prepare('INSERT INTO changes (kind, op, id, data, member_id) VALUES (?, ?, ?, ?, ?)')
  const pageAfter = db.prepare('SELECT seq, kind, op, id, data FROM changes WHERE seq > ? ORDER BY seq LIMIT ?')
  // The same page as the bytes of its changes' JSON, built by SQLite: no string per row and no
  // round trip through UTF-16. The bench's server shares the register's two cores: a page of 5,000
  // cost it 7.4 ms (events) to 18-28 ms (customers) as rows, 3.8-4.3 ms so. The rows reach the
  // aggregate in the subquery's order (a subquery with LIMIT runs as a co-routine);
  // group_concat(... ORDER BY seq) would sort them again, which cost as much as the rows did.
  // test/integration/profile-server.test.ts ("pages in commit order") holds SQLite to that order.
  const pageJsonAfter = db.prepare(`
    SELECT max(seq) AS last,
           CAST(group_concat('{"kind":' || json_quote(kind) || ',"op":' || json_quote(op) || ',"id":' || json_quote(id)
                             || CASE WHEN data IS NULL THEN '}' ELSE ',"data":' || data || '}' END, ',') AS BLOB) AS json
      FROM (SELECT seq, kind, op, id, data FROM changes WHERE seq > ? ORDER BY seq LIMIT ?)`)
  const lastUpTo = db.prepare('SELECT seq, kind, op, id, data FROM changes WHERE seq <= ? ORDER BY seq DESC LIMIT ?')
  const head = db.prepare('SELECT COALESCE(MAX(seq), 0) AS seq FROM changes').pluck()
  const anyAfter = db.prepare('SELECT 1 FROM changes WHERE seq > ? LIMIT 1').pluck()
  const latestOf = db.prepare('SELECT op, data FROM changes WHERE kind = ? AND id = ? ORDER BY seq DESC LIMIT 1')
  // The latest version of each event that ever named this member, kept when it still does.
  const eventsOf = db.prepare(`
    SELECT c.data FROM changes c
    JOIN (SELECT id, MAX(seq) AS seq FROM changes
          WHERE kind = 'event' AND id IN (SELECT id FROM changes WHERE member_id = ? AND kind = 'event')
          GROUP BY id) latest ON latest.seq = c.seq
    WHERE c.op = 'upsert' AND c.member_id = ?`).pluck()
  const getKey = db.prepare('SELECT request, status, response FROM idempotency_keys WHERE scope = ? AND key = ?')
  const putKey = db.prepare('INSERT INTO idempotency_keys (scope, key, request, status, response, created_at) VALUES (?, ?, ?, ?, ?, ?)')
  const getSale = db.prepare('SELECT sale_id AS saleId, body, received_at AS receivedAt, member_id AS memberId FROM sales WHERE sale_id = ?')
  const putSale = db.prepare('INSERT INTO sales (sale_id, body, received_at, member_id) VALUES (?, ?, ?, ?)')
  const setSaleMember = db.prepare('UPDATE sales SET member_id = ? WHERE sale_id = ?')
  const allSales = db.prepare('SELECT sale_id AS saleId, body, received_at AS receivedAt, member_id AS memberId FROM sales ORDER BY rowid')
  const countSales = db.prepare('SELECT COUNT(*) FROM sales').pluck()
  const epochNow = db.prepare('SELECT COALESCE(MAX(epoch), 0) FROM cursor_expiries').pluck()
  const putExpiry = db.prepare('INSERT INTO cursor_expiries (epoch, before_seq) VALUES (?, ?)')
  const expiredBy = db.prepare('SELECT 1 FROM cursor_expiries WHERE epoch > ? AND before_seq > ? LIMIT 1').pluck()

  const appendEncoded = (changes: EncodedChange[]): void => {
    for (const c of changes) insertChange.run(c.kind, c.op, c.id, c.data, c.memberId)
  }

  return {
    /** Random id of this feed, created with the database: a cursor of another feed is unknown here. */
    feedId,
    close: (): void => {
      db.close()
    },

    append: db.transaction((changes: FeedChange[]): void => appendEncoded(changes.map(encode))),
    headSeq: (): number => head.get() as number,
    /** Up to `limit` changes after `seq`, in commit order, and whether more follow them. */
    page(afterSeq: number, limit: number): { rows: FeedRow[]; hasMore: boolean } {
      const rows = pageAfter.all(afterSeq, limit) as FeedRow[]
      const last = rows.length > 0 ? rows[rows.length - 1]!.seq : afterSeq
      return { rows, hasMore: anyAfter.get(last) !== undefined }
    },
    /** page() as JSON: its changes' JSON objects, comma-separated (UTF-8), and the last seq in it. */
    pageJson(afterSeq: number, limit: number): { json: Buffer; last: number; hasMore: boolean } {
      const row = pageJsonAfter.get(afterSeq, limit) as { last: number | null; json: Buffer | null }
      const last = row.last ?? afterSeq
      return { json: row.json ?? Buffer.alloc(0), last, hasMore: anyAfter.get(last) !== undefined }
    },
    /** The last `n` changes at or before `seq`, in commit order (for at-least-once re-delivery). */
    lastUpTo(seq: number, n: number): FeedRow[] {
      return (lastUpTo.all(seq, n) as FeedRow[]).reverse()
    },
    /** JSON text of the latest upsert of a record, or null when it has none or was deleted since. */
    latest(kind: string, id: string): string | null {
      const row = latestOf.get(kind, id) as { op: string; data: string | null } | undefined
      return row?.op === 'upsert' ? row.data : null
    },
    memberEvents: (memberId: string): string[] => eventsOf.all(memberId, memberId) as string[],

    getKey: (scope: KeyScope, key: string): StoredKey | undefined => getKey.get(scope, key) as StoredKey | undefined,
    getSale: (saleId: string): StoredSale | undefined => getSale.get(saleId) as StoredSale | undefined,
    /** Stores a new sale, its key and its answer, and appends its events, in one transaction. */
    recordSale: db.transaction(
      (sale: { saleId: string; body: string; canonical: string; receivedAt: string; memberId: string | null; response: string }, events: FeedChange[]) => {
        putSale.run(sale.saleId, sale.body, sale.receivedAt, sale.memberId)
        putKey.run('sale', sale.saleId, sale.canonical, 201, sale.response, sale.receivedAt)
        appendEncoded(events.map(encode))
      },
    ),
    /** Sets the sale's member, stores the attach key and its answer, and appends the events, in one transaction. */
    attachMember: db.transaction(
      (attach: { saleId: string; memberId: string; key: string; canonical: string; response: string; at: string }, events: FeedChange[]) => {
        setSaleMember.run(attach.memberId, attach.saleId)
        putKey.run('member', attach.key, attach.canonical, 201, attach.response, attach.at)
        appendEncoded(events.map(encode))
      },
    ),
    sales: (): StoredSale[] => allSales.all() as StoredSale[],
    saleCount: (): number => countSales.get() as number,

    /** The current expiry epoch: a cursor records the epoch it was issued in. */
    epoch: (): number => epochNow.get() as number,
    /** Cursors issued before now whose position is before `seq` expire (410). */
    expireBefore: db.transaction((seq: number): void => {
      putExpiry.run((epochNow.get() as number) + 1, seq)
    }),
    /** Whether an expiry made after the cursor was issued covers its position. */
    isExpired: (epoch: number, seq: number): boolean => expiredBy.get(epoch, seq) !== undefined,
  }
}

export type Store = ReturnType<typeof openStore>
