// `npm run bench:crash`: the crash test at full length, 1,000 SIGKILLs of a process recording sales
// (some while it opens and recovers the database). Prints what was acknowledged, what survived,
// and the integrity check; nothing here asserts time.
//   node test/bench/crash-bench.ts [--cycles 1000]
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { checkCrashDatabase, runCrashCycles } from '../support/crash-cycles.ts'

const { values } = parseArgs({ options: { cycles: { type: 'string', default: '1000' } } })
const dir = mkdtempSync(join(tmpdir(), 'musubi-crash-bench-'))
try {
  const dbFile = join(dir, 'musubi.db')
  const summary = await runCrashCycles({
    dbFile,
    connectorKey: 'http|http://127.0.0.1:9|S001',
    cycles: Number(values.cycles),
    onCycle: (cycle) => {
      if (cycle % 100 === 0) process.stderr.write(`  … ${cycle} cycles\n`)
    },
  })
  const check = checkCrashDatabase(dbFile, summary.acked)
  console.log(
    `crash bench: ${summary.cycles} SIGKILLs (${summary.earlyKills} while opening) in ${(summary.ms / 1000).toFixed(0)} s; ` +
      `${summary.acked.size} sales acknowledged after COMMIT, ${check.recorded} recorded, ${check.lost.length} lost, ${check.torn.length} torn, integrity_check: ${check.integrity}`,
  )
  if (check.lost.length > 0 || check.torn.length > 0 || check.integrity !== 'ok') process.exitCode = 1
} finally {
  rmSync(dir, { recursive: true, force: true })
}
