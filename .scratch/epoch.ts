import Database from 'better-sqlite3'
const db = new Database(process.argv[2]!, { readonly: true })
function t(label: string, f: () => unknown) { for (let i=0;i<50;i++) f(); const s=performance.now(); for (let i=0;i<500;i++) f(); console.log(label, ((performance.now()-s)/500).toFixed(3)) }
const a = db.prepare(`SELECT sku, at FROM events WHERE member_id = ? AND type = 'purchase' AND sku IS NOT NULL ORDER BY at DESC LIMIT 1000`).raw(true)
const b = db.prepare(`SELECT sku, CAST(unixepoch(at, 'subsec') * 1000 AS INTEGER) FROM events WHERE member_id = ? AND type = 'purchase' AND sku IS NOT NULL ORDER BY at DESC LIMIT 1000`).raw(true)
t('strings + Date.parse', () => { let x = 0; for (const r of a.all('M0000001') as [string,string][]) x += Date.parse(r[1]); return x })
t('sql epoch', () => { let x = 0; for (const r of b.all('M0000001') as [string,number][]) x += r[1]; return x })
console.log((b.all('M0000001') as [string, number][])[0], (a.all('M0000001') as [string, string][])[0])
