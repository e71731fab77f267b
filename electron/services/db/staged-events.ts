// Events of a first sync: appended as the feed brings them, each page's as one batch (a JSONB
// array of rows, db/event-rows.ts: no index to update, no page written twice, and one value to
// bind instead of a dozen per event), then moved into `events` in one pass when the feed is caught
// up (migrations 0090, 0100 and 0130 say why). Until then the counter sees only the
// events it got another way: fetched on demand for a scanned member, or its own sales.
//
// What the move leaves is what applying the pages one by one would have left
// (test/unit/staged-events.test.ts compares the two on random feeds):
// - the last delivery of an id wins (a change delivered twice, an event changed later);
// - a delete in the feed (of the event, or of the member its last delivery names) that came
//   after that delivery removes the event; one before it does not;
// - views, carts and wishlists of members without personalization consent are removed.
import { encodeEventRows, type EventRow } from './event-rows.ts'
import Database from 'better-sqlite3'
import { dropIndexes, prepared, type ReadableDB, type WritableDB } from './handle.ts'
import { EVENT_COLUMNS, STAGED_VALUES } from './staged-rows.ts'

/** Stages rows in feed order as one batch, after every batch staged before. */
export function stageEvents(db: WritableDB, rows: readonly EventRow[], generation: number): void {
  if (rows.length === 0) return
  prepared(db, 'INSERT INTO events_staged_batches (rows, n, sync_gen) VALUES (jsonb(?), ?, ?)').run(encodeEventRows(rows), rows.length, generation)
}

/**
 * The feed deleted an event, or a member with their events: what was staged so far goes with
 * them. The events of the page before the delete must be staged first (they came before it).
 */
export function stageDelete(db: WritableDB, target: { id: string } | { memberId: string }): void {
  prepared(
    db,
    'INSERT INTO events_staged_deletes (staged_upto, id, member_id) VALUES ((SELECT coalesce(max(seq), 0) FROM events_staged_batches), ?, ?)',
  ).run('id' in target ? target.id : null, 'memberId' in target ? target.memberId : null)
}

/** How many events were staged. */
export function countStagedEvents(db: ReadableDB): number {
  return prepared<[], { n: number }>(db, 'SELECT coalesce(sum(n), 0) AS n FROM events_staged_batches').get()!.n
}

/**
 * Moves the staged events into `events` and empties the staging tables; answers how many staged
 * rows it read. Run inside a transaction. When the staged rows outnumber the events already
 * there (a first sync), they are appended without the indexes of `events`, which are built
 * after; otherwise each goes in through the id index. `readUpto`: the batches up to this one
 * were read into `staged_rows.rows` already (db/staged-rows.ts, attached), used when appending.
 */
export function mergeStagedEvents(db: WritableDB, readUpto = 0): number {
  const staged = countStagedEvents(db)
  if (staged === 0) return 0
  const held = prepared<[], { n: number }>(db, 'SELECT count(*) AS n FROM events').get()!.n
  if (staged > held) appendStaged(db, readUpto)
  else {
    // Sorted by id, so the id index is written from one end to the other; equal ids in feed order
    // (batch, then place in it), so the last delivery is the one left.
    db.exec(`
      INSERT INTO events (${EVENT_COLUMNS})
      SELECT ${STAGED_VALUES}, b.sync_gen
        FROM events_staged_batches AS b, jsonb_each(b.rows) AS r WHERE true ORDER BY 1, b.seq, r.key
      ON CONFLICT (id) DO UPDATE SET member_id = excluded.member_id, type = excluded.type, channel = excluded.channel,
        sku = excluded.sku, qty = excluded.qty, price_yen = excluded.price_yen, order_id = excluded.order_id,
        store_id = excluded.store_id, coupon_code = excluded.coupon_code, at = excluded.at, sync_gen = excluded.sync_gen`)
  }
  // An event is gone when a delete came after its last delivery: of the event, or of the member
  // that delivery names (which is the member `events` now holds). Batches are staged before each
  // delete, so a delete came after every batch up to its staged_upto. (One scan of the staged
  // rows, when the feed sent any delete.)
  if (prepared(db, 'SELECT 1 FROM events_staged_deletes LIMIT 1').get() !== undefined) {
    prepared(
      db,
      `WITH touched AS (
         SELECT id, member_id FROM events WHERE id IN (SELECT id FROM events_staged_deletes WHERE id IS NOT NULL)
         UNION
         SELECT id, member_id FROM events WHERE member_id IN (SELECT member_id FROM events_staged_deletes WHERE member_id IS NOT NULL)),
       last AS (
         SELECT r.value ->> '$[0]' AS id, max(b.seq) AS seq FROM events_staged_batches AS b, jsonb_each(b.rows) AS r
          WHERE r.value ->> '$[0]' IN (SELECT id FROM touched) GROUP BY 1)
       DELETE FROM events WHERE id IN (
         SELECT t.id FROM touched AS t JOIN last ON last.id = t.id
          WHERE EXISTS (SELECT 1 FROM events_staged_deletes AS d WHERE d.id = t.id AND d.staged_upto >= last.seq)
             OR EXISTS (SELECT 1 FROM events_staged_deletes AS d WHERE d.member_id = t.member_id AND d.staged_upto >= last.seq))`,
    ).run()
  }
  // Then what the pages would have left out: views, carts and wishlists of members without
  // consent (also where the last delivery of an event is one). Consent as the cache holds it now
  // is what it was when those came: a member whose consent comes back has their history fetched
  // again (sync/apply.ts).
  prepared(db, `DELETE FROM events WHERE type IN ('view', 'cart', 'wishlist') AND member_id IN (SELECT member_id FROM customers WHERE personalization = 0)`).run()
  db.exec('DELETE FROM events_staged_batches; DELETE FROM events_staged_deletes')
  return staged
}

const ID_INDEX = 'events_id'

/**
 * A first sync's move: the staged rows appended in feed order (batches by seq, each array in its
 * order: rowids grow with the delivery), no index to update, then the indexes built. Only the id
 * index's entries are sorted, not the rows (migration 0130). The events held before (fetched on
 * demand, the register's own sales, which the feed brings back) wait aside and go back after,
 * where the feed did not deliver them again. An id the feed delivered more than once (a change
 * delivered again, an event changed later) fails the unique index: then every row but its last
 * delivery goes, through a plain index of the ids. Measured at 1M/10M with one page of 5,000
 * events delivered twice: the step 25.5 s against 18.3 s without (the move sorting whole rows
 * took 23-28 s either way).
 */
function appendStaged(db: WritableDB, readUpto: number): void {
  const indexes = dropIndexes(db, 'events')
  const idIndex = indexes.find((i) => i.name === ID_INDEX)
  if (!idIndex) throw new Error(`events has no ${ID_INDEX} index`)
  db.exec('CREATE TEMP TABLE events_held AS SELECT * FROM events; DELETE FROM events')
  // The rows read already first (whole records copied: `events` is empty and has no index), then
  // the batches after them. No ORDER BY: the batches are scanned in seq order and jsonb_each
  // walks each array in order (an ORDER BY b.seq, r.key made SQLite sort within each batch).
  if (readUpto > 0) db.exec('INSERT INTO events SELECT * FROM staged_rows.rows')
  prepared(
    db,
    `INSERT INTO events (${EVENT_COLUMNS}) SELECT ${STAGED_VALUES}, b.sync_gen FROM events_staged_batches AS b, jsonb_each(b.rows) AS r WHERE b.seq > ?`,
  ).run(readUpto)
  try {
    db.exec(idIndex.sql)
  } catch (error) {
    if (!(error instanceof Database.SqliteError && error.code === 'SQLITE_CONSTRAINT_UNIQUE')) throw error
    db.exec(`CREATE INDEX events_id_delivered ON events (id)`)
    db.exec(`DELETE FROM events WHERE rowid IN (
      SELECT e.rowid FROM (SELECT id, max(rowid) AS last FROM events GROUP BY id HAVING count(*) > 1) AS twice
        JOIN events AS e ON e.id = twice.id AND e.rowid < twice.last)`)
    db.exec('DROP INDEX events_id_delivered')
    db.exec(idIndex.sql)
  }
  db.exec('INSERT INTO events SELECT * FROM temp.events_held WHERE true ON CONFLICT (id) DO NOTHING; DROP TABLE temp.events_held')
  for (const { name, sql } of indexes) if (name !== ID_INDEX) db.exec(sql)
}
