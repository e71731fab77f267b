// The staged events' reader (db/staged-rows.ts): reads the batches a first sync has committed
// out of the register's database (attached, only read) into rows in its own file, a few batches
// a transaction, until asked to stop. Nothing crosses into JavaScript but numbers.
import Database from 'better-sqlite3'
import { setPriority } from 'node:os'
import { parentPort, workerData } from 'node:worker_threads'
import { STAGED_VALUES, stagedRowsSchema, type StagedRowsReply, type StagedRowsRequest } from './staged-rows.ts'

const port = parentPort!
const { registerFile, file, staging } = workerData as { registerFile: string; file: string; staging: string }
/** Batches a step: ~50,000 events, a few hundred ms, between which a stop is heard. */
const BATCHES_A_STEP = 10
/** With nothing new to read, it looks again this much later. */
const IDLE_MS = 200

// On Linux a thread has a nice value of its own (on macOS and Windows the call would lower the
// whole process): the reader takes the CPU the sync's other threads leave, rather than slowing
// the main thread that applies the feed.
if (process.platform === 'linux') {
  try {
    setPriority(19)
  } catch {
    // Not allowed here: it runs at the process's priority.
  }
}

let db: Database.Database | null = null
let stopping = false
let upto = 0

port.on('message', (request: StagedRowsRequest) => {
  if (request.type === 'stop') stopping = true
})

function end(reply: StagedRowsReply): void {
  try {
    db?.close()
  } catch {
    // Closing is all that is left; the file is derived data.
  }
  port.postMessage(reply)
  port.close()
}

try {
  db = new Database(file)
  db.pragma('journal_mode = WAL')
  // Derived data: losing the last steps to a power cut only means reading them again.
  db.pragma('synchronous = NORMAL')
  db.pragma('cache_size = -4096')
  db.prepare('ATTACH ? AS register').run(registerFile)
  db.pragma('register.cache_size = -2048')
  db.pragma('busy_timeout = 5000')
  const hasMeta = db.prepare("SELECT 1 FROM main.sqlite_schema WHERE type = 'table' AND name = 'meta'").get() !== undefined
  const meta = hasMeta ? (db.prepare('SELECT staging, upto FROM main.meta WHERE id = 1').get() as { staging: string; upto: number } | undefined) : undefined
  if (meta?.staging === staging) upto = meta.upto
  else {
    // Another staging's file, or none: made again, `rows` in the shape `events` has now.
    const eventsSql = db.prepare("SELECT sql FROM register.sqlite_schema WHERE type = 'table' AND name = 'events'").pluck().get() as string
    db.transaction(() => {
      db!.exec('DROP TABLE IF EXISTS main.rows; DROP TABLE IF EXISTS main.meta')
      db!.exec(stagedRowsSchema(eventsSql))
      db!.prepare('INSERT INTO main.meta (id, staging, upto) VALUES (1, ?, 0)').run(staging)
    })()
  }
} catch (error) {
  end({ type: 'failed', reason: (error as Error).message })
  throw error
}

const conn = db
const newest = conn.prepare('SELECT coalesce(max(seq), 0) FROM register.events_staged_batches').pluck()
// In seq order, each batch's rows in their order, as the finish appends them (db/staged-events.ts).
const read = conn.prepare(
  `INSERT INTO main.rows SELECT ${STAGED_VALUES}, b.sync_gen FROM register.events_staged_batches AS b, jsonb_each(b.rows) AS r WHERE b.seq > ? AND b.seq <= ?`,
)
const setUpto = conn.prepare('UPDATE main.meta SET upto = ? WHERE id = 1')

function step(): void {
  if (stopping) return end({ type: 'stopped', upto })
  try {
    const last = newest.get() as number
    if (last <= upto) {
      setTimeout(step, IDLE_MS)
      return
    }
    const to = Math.min(last, upto + BATCHES_A_STEP)
    conn.transaction(() => {
      read.run(upto, to)
      setUpto.run(to)
    })()
    upto = to
  } catch (error) {
    return end({ type: 'failed', reason: (error as Error).message })
  }
  setImmediate(step)
}

step()
