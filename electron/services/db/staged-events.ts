// Events of a first sync: appended to `events_staged` as the feed brings them (no index to
// update, no page written twice), then moved into `events` in one pass sorted by id when the feed
// is caught up (migration 0090 says why). Until then the counter sees only the events it got
// another way: fetched on demand for a scanned member, or its own sales.
//
// What the move leaves is what applying the pages one by one would have left
// (test/unit/staged-events.test.ts compares the two on random feeds):
// - the last delivery of an id wins (a change delivered twice, an event changed later);
// - a delete in the feed (of the event, or of the member its last delivery names) that came
//   after that delivery removes the event; one before it does not;
// - views, carts and wishlists of members without personalization consent are removed.
import type { ProfileEvent } from '../../../shared/records.ts'
import { eventValues } from './events.ts'
import { prepared, withoutIndexes, type ReadableDB, type WritableDB } from './handle.ts'

export function stageEvent(db: WritableDB, event: ProfileEvent, generation: number): void {
  prepared(db, 'INSERT INTO events_staged VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').run(eventValues(event, generation))
}

/** The feed deleted an event, or a member with their events: staged rows so far go with them. */
export function stageDelete(db: WritableDB, target: { id: string } | { memberId: string }): void {
  prepared(
    db,
    'INSERT INTO events_staged_deletes (staged_upto, id, member_id) VALUES ((SELECT coalesce(max(rowid), 0) FROM events_staged), ?, ?)',
  ).run('id' in target ? target.id : null, 'memberId' in target ? target.memberId : null)
}

/** How many rows were staged (rowids count up from 1 and rows are only ever added, until emptied). */
export function countStagedEvents(db: ReadableDB): number {
  return prepared<[], { n: number }>(db, 'SELECT coalesce(max(rowid), 0) AS n FROM events_staged').get()!.n
}

const COLUMNS = 'id, member_id, type, channel, sku, qty, price_yen, order_id, store_id, coupon_code, at, sync_gen'

/**
 * Moves the staged events into `events` and empties the staging tables; answers how many staged
 * rows it read. Run inside a transaction. When the staged rows outnumber the events already
 * there (a first sync), the indexes of `events` are built again after the move rather than
 * updated row by row.
 */
export function mergeStagedEvents(db: WritableDB): number {
  const staged = countStagedEvents(db)
  if (staged === 0) return 0
  // Sorted by id, so `events` (keyed by id) is written from one end to the other; equal ids in
  // feed order, so the last delivery is the one left.
  const move = (): void => {
    db.exec(`
      INSERT INTO events (${COLUMNS})
      SELECT ${COLUMNS} FROM events_staged WHERE true ORDER BY id, rowid
      ON CONFLICT (id) DO UPDATE SET member_id = excluded.member_id, type = excluded.type, channel = excluded.channel,
        sku = excluded.sku, qty = excluded.qty, price_yen = excluded.price_yen, order_id = excluded.order_id,
        store_id = excluded.store_id, coupon_code = excluded.coupon_code, at = excluded.at, sync_gen = excluded.sync_gen`)
  }
  const held = prepared<[], { n: number }>(db, 'SELECT count(*) AS n FROM events').get()!.n
  if (staged > held) withoutIndexes(db, 'events', move)
  else move()
  // An event is gone when a delete came after its last delivery: of the event, or of the member
  // that delivery names. (Two scans of the staged rows, when the feed sent any delete.)
  if (prepared(db, 'SELECT 1 FROM events_staged_deletes LIMIT 1').get() !== undefined) {
    prepared(
      db,
      `WITH touched AS (
         SELECT id FROM events_staged
          WHERE id IN (SELECT id FROM events_staged_deletes WHERE id IS NOT NULL)
             OR member_id IN (SELECT member_id FROM events_staged_deletes WHERE member_id IS NOT NULL)),
       last AS (SELECT max(rowid) AS seq FROM events_staged WHERE id IN touched GROUP BY id)
       DELETE FROM events WHERE id IN (
         SELECT s.id FROM last JOIN events_staged AS s ON s.rowid = last.seq
          WHERE EXISTS (SELECT 1 FROM events_staged_deletes AS d WHERE d.id = s.id AND d.staged_upto >= s.rowid)
             OR EXISTS (SELECT 1 FROM events_staged_deletes AS d WHERE d.member_id = s.member_id AND d.staged_upto >= s.rowid))`,
    ).run()
  }
  // Then what the pages would have left out: views, carts and wishlists of members without
  // consent (also where the last delivery of an event is one). Consent as the cache holds it now
  // is what it was when those came: a member whose consent comes back has their history fetched
  // again (sync/apply.ts).
  prepared(db, `DELETE FROM events WHERE type IN ('view', 'cart', 'wishlist') AND member_id IN (SELECT member_id FROM customers WHERE personalization = 0)`).run()
  db.exec('DELETE FROM events_staged; DELETE FROM events_staged_deletes')
  return staged
}
