// The counter's hot reads must stay on their indexes: a full scan of a million events is
// invisible on a test database and a stall at the register.
import { afterAll, describe, expect, it } from 'vitest'
import { WITHOUT_CONSENT_SQL } from '../../electron/services/db/customers.ts'
import { TIMELINE_SQL } from '../../electron/services/db/events.ts'
import { openDatabase } from '../../electron/services/db/open.ts'
import { DAY_SALES_SQL, LOOKED_ONLINE_SQL } from '../../electron/services/stats/daily.ts'

const db = openDatabase(':memory:')
afterAll(() => db.close())

function plan(sql: string, ...params: unknown[]): string {
  return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail).join('\n')
}

describe('query plans', () => {
  it('reads a timeline through events_member_at', () => {
    const detail = plan(TIMELINE_SQL, 'M1', 200)
    expect(detail).toContain('USING INDEX events_member_at')
    expect(detail).not.toContain('USE TEMP B-TREE')
  })

  it('finds stock here by store and sku', () => {
    expect(plan(`SELECT on_hand FROM inventory WHERE store_id = ? AND sku = ?`, 'S001', 'SKU')).toContain('USING INDEX inventory_store_sku')
  })

  it('finds a product by barcode through its primary key', () => {
    expect(plan(`SELECT sku FROM product_barcodes WHERE code = ?`, '4901234567894')).toMatch(/USING PRIMARY KEY/)
  })

  it('finds a customer by member number through its unique index', () => {
    expect(plan(`SELECT record FROM customers WHERE member_id = ?`, 'M1')).toMatch(/USING INDEX sqlite_autoindex_customers_1/)
  })

  it('asks whether a member is without consent of the small index of those members only', () => {
    expect(plan(WITHOUT_CONSENT_SQL, 'M1')).toContain('USING COVERING INDEX customers_without_consent')
  })

  it('reads a day’s sales by their time, and a member’s looks online by member and time', () => {
    expect(plan(DAY_SALES_SQL, 'demo:1', '2026-12-05', '2026-12-07')).toContain('USING INDEX sales_at')
    expect(plan(LOOKED_ONLINE_SQL, 'M1', '2026-11-06', '2026-12-06', '["SKU"]')).toContain('USING INDEX events_member_at')
  })
})
