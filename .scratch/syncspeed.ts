import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openDatabase } from '../electron/services/db/open.ts'
import { adoptSource } from '../electron/services/sync/sync-service.ts'
import { applyPage } from '../electron/services/sync/apply.ts'
import { createDemoConnector } from '../electron/services/sync/demo/index.ts'
const db = openDatabase(join(mkdtempSync(join(tmpdir(), 'ss-')), 'm.db'))
adoptSource(db, 'demo')
const c = createDemoConnector({ scale: Number(process.argv[2] ?? 0.5), now: () => new Date('2026-11-22T00:00:00Z') })
let cursor: string | null = null, pull = 0, apply = 0
for (;;) { let t = performance.now(); const p = await c.pullChanges(cursor, 5000); pull += performance.now() - t; t = performance.now(); applyPage(db, p.changes, p.cursor, 1); apply += performance.now() - t; cursor = p.cursor; if (!p.hasMore) break }
console.log('pull', (pull/1000).toFixed(1), 's apply', (apply/1000).toFixed(1), 's')
