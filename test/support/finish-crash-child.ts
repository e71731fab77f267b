// The process the finish crash test kills: it opens a register's database that holds a first sync
// staged to its end, and moves the staged events as the finish does (a rollback journal, one
// transaction), with a small page cache so that pages reach the file before COMMIT. Once the move
// has run, still inside its transaction, it prints `moved` and waits to be SIGKILLed.
//   node test/support/finish-crash-child.ts --db FILE
import { parseArgs } from 'node:util'
import { inTransaction } from '../../electron/services/db/handle.ts'
import { openDatabase, withRollbackJournal } from '../../electron/services/db/open.ts'
import { mergeStagedEvents } from '../../electron/services/db/staged-events.ts'

const { values } = parseArgs({ options: { db: { type: 'string' } }, strict: true })
if (values.db === undefined) {
  process.stderr.write('finish-crash-child: --db FILE is required\n')
  process.exit(64)
}
const db = openDatabase(values.db)
db.pragma('cache_size = -256')
withRollbackJournal(db, () => {
  process.stdout.write(`journal ${String(db.pragma('journal_mode', { simple: true }))}\n`)
  inTransaction(db, () => {
    mergeStagedEvents(db)
    process.stdout.write('moved\n')
    // Blocks this thread (and so the transaction) until the parent's SIGKILL; ends an orphan.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 30_000)
  })
})
process.exit(2)
