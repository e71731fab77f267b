import { openDatabase } from '../electron/services/db/open.ts'
import { suggestionsOf, loadHistory } from '../electron/services/suggest/engine.ts'
import { rankForMember } from '../electron/services/suggest/scoring.ts'
import { dbSource } from '../electron/services/suggest/db-source.ts'
const db = openDatabase(process.argv[2]!)
const now = new Date('2026-11-22T03:00:00.000Z')
const ctx = { db, storeId: 'S001', now: () => now, limit: 8 }
for (let i = 0; i < 20; i++) suggestionsOf(ctx, 'M0000001')
const s: number[] = []
const parts = { load: [] as number[], rank: [] as number[] }
for (let i = 0; i < 1000; i++) { const t = performance.now(); suggestionsOf(ctx, 'M0000001'); s.push(performance.now() - t) }
for (let i = 0; i < 1000; i++) { let t = performance.now(); const h = loadHistory(db, 'M0000001', now.getTime()); parts.load.push(performance.now() - t); t = performance.now(); rankForMember({ history: h, nowMs: now.getTime(), limit: 52 }, dbSource(db, 'S001', now.getTime())); parts.rank.push(performance.now() - t) }
const q = (a: number[]) => { const b = [...a].sort((x, y) => x - y); return `p50 ${b[500]!.toFixed(2)} p99 ${b[990]!.toFixed(2)} max ${b[999]!.toFixed(2)}` }
console.log('whole', q(s)); console.log('load', q(parts.load)); console.log('rank', q(parts.rank))
