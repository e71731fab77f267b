// Prints Vitest's JSON results as the one closing line CI reads: "N passed, N failed, N skipped".
import { existsSync, readFileSync } from 'node:fs'

const file = process.argv[2] ?? 'test/artifacts/vitest-results.json'
if (!existsSync(file)) {
  console.log('0 passed, 1 failed (no test results: the run stopped before the tests)')
  process.exit(0)
}
const results = JSON.parse(readFileSync(file, 'utf8')) as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number }
console.log(`${results.numPassedTests} passed, ${results.numFailedTests} failed, ${results.numPendingTests + results.numTodoTests} skipped`)
