import Database from 'better-sqlite3'
const db = new Database('/tmp/sb-small/suggest-20000-200000-5000.db')
const M = 'M0000001'
function t(label: string, f: () => unknown, n = 300) { for (let i=0;i<20;i++) f(); const s = performance.now(); for (let i=0;i<n;i++) f(); console.log(label, ((performance.now()-s)/n).toFixed(3), 'ms') }
const p = db.prepare(`SELECT sku, at FROM events WHERE member_id = ? AND type = 'purchase' AND sku IS NOT NULL ORDER BY at DESC LIMIT ?`)
const b = db.prepare(`SELECT type, sku, at FROM events WHERE member_id = ? AND at >= ? ORDER BY at DESC LIMIT ?`)
t('purchases obj', () => p.all(M, 2000))
const pr = db.prepare(`SELECT sku, at FROM events WHERE member_id = ? AND type = 'purchase' AND sku IS NOT NULL ORDER BY at DESC LIMIT ?`).raw(true)
t('purchases raw', () => pr.all(M, 2000))
t('behaviour obj', () => b.all(M, '2026-05-26T00:00:00.000Z', 600))
t('behaviour 300', () => b.all(M, '2026-05-26T00:00:00.000Z', 300))
const rows = p.all(M, 2000) as {at:string}[]
t('date parse', () => { let x=0; for (const r of rows) x+=Date.parse(r.at); return x })
console.log(db.prepare(`EXPLAIN QUERY PLAN SELECT sku, at FROM events WHERE member_id = ? AND type = 'purchase' AND sku IS NOT NULL ORDER BY at DESC LIMIT ?`).all('x', 1))
