import { openDatabase } from '../electron/services/db/open.ts'
import { suggestionsOf } from '../electron/services/suggest/engine.ts'
import { dismissSuggestion } from '../electron/services/suggest/dismissals.ts'
const db = openDatabase(process.argv[2]!)
const now = new Date('2026-11-22T03:00:00.000Z')
const ctx = { db, storeId: 'S001', now: () => now, limit: 8 }
for (let i = 0; i < 20; i++) suggestionsOf(ctx, 'M0000001')
const s: number[] = []

for (let i = 0; i < 2000; i++) { dismissSuggestion(db, 'M-B', 'x', now); const t = performance.now(); suggestionsOf(ctx, 'M0000001'); s.push(performance.now() - t) }

const b = [...s].sort((x, y) => x - y); console.log(`p50 ${b[1000]!.toFixed(2)} p99 ${b[1980]!.toFixed(2)}`)
