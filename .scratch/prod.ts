import Database from 'better-sqlite3'
const db = new Database(process.argv[2]!, { readonly: true })
const skus = (db.prepare("SELECT DISTINCT sku FROM events WHERE member_id = 'M0000001'").all() as {sku:string}[]).map(r => r.sku)
console.log(skus.length)
const list = JSON.stringify(skus)
function t(label: string, sql: string) { const st = db.prepare(sql); for (let i=0;i<20;i++) st.all(list); const s=performance.now(); for (let i=0;i<200;i++) st.all(list); console.log(label, ((performance.now()-s)/200).toFixed(3)) }
t('3 extracts', `SELECT p.sku, p.name, p.price_yen, p.active, json_extract(p.record, '$.category') AS category, json_extract(p.record, '$.attributes.size') AS size, json_extract(p.record, '$.attributes') AS attributes FROM products AS p WHERE p.sku IN (SELECT value FROM json_each(?))`)
t('1 extract', `SELECT p.sku, p.name, p.price_yen, p.active, json_extract(p.record, '$.category', '$.attributes') AS extra FROM products AS p WHERE p.sku IN (SELECT value FROM json_each(?))`)
t('record', `SELECT p.sku, p.name, p.price_yen, p.active, p.record FROM products AS p WHERE p.sku IN (SELECT value FROM json_each(?))`)
t('no json', `SELECT p.sku, p.name, p.price_yen, p.active FROM products AS p WHERE p.sku IN (SELECT value FROM json_each(?))`)
t('category only', `SELECT p.sku, json_extract(p.record, '$.category') AS c FROM products AS p WHERE p.sku IN (SELECT value FROM json_each(?))`)
