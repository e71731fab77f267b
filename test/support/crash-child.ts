// The process the crash test kills: it opens the register's database through the real module and
// records sales in a loop until it is SIGKILLed, acknowledging each on fd 3 only after
// recordSale() has returned (its transaction committed).
//   node test/support/crash-child.ts --db FILE --connector-key KEY [--seed N] [--max-ms 20000]
// On fd 3 (a pipe from the parent), one line each: `open` before the database is opened, `ready`
// once it is, then the saleId of every committed sale. --max-ms ends an orphan on its own.
import { writeSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { openDatabase } from '../../electron/services/db/open.ts'
import { recordSale } from '../../electron/services/sales/record.ts'
import { prng } from './profile-server/faults.ts'
import { randomSale } from './random-sales.ts'

const ACK_FD = 3

const { values } = parseArgs({
  options: {
    db: { type: 'string' },
    'connector-key': { type: 'string' },
    seed: { type: 'string', default: '1' },
    'max-ms': { type: 'string', default: '20000' },
  },
  strict: true,
})
if (values.db === undefined || values['connector-key'] === undefined) {
  process.stderr.write('crash-child: --db FILE and --connector-key KEY are required\n')
  process.exit(64)
}

/** Writes the whole line to the parent's pipe (blocking); the parent gone means we are done. */
function ack(line: string): void {
  const bytes = Buffer.from(`${line}\n`)
  let offset = 0
  while (offset < bytes.length) {
    try {
      offset += writeSync(ACK_FD, bytes, offset)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EAGAIN') continue
      process.exit(3) // EPIPE: nobody is listening any more
    }
  }
}

const deadline = Date.now() + Number(values['max-ms'])
const random = prng(Number(values.seed))
ack('open')
const db = openDatabase(values.db)
ack('ready')
const context = { db, storeId: 'S001', deviceId: 'REG-01', connectorKey: values['connector-key'], now: () => new Date() }
while (Date.now() < deadline) {
  const sale = randomSale(random)
  const result = recordSale(context, sale)
  if (!result.recorded) throw new Error(`sale ${sale.saleId} was not recorded: ${result.reason}`)
  ack(sale.saleId)
}
db.close()
process.exit(4) // never killed: the parent treats this as a failure
