// Counting a coupon's redemptions (per member and in all) reads coupon_redeemed events by code.
import type { Migration } from './index.ts'

export const migration0050: Migration = {
  version: 50,
  name: 'coupon redemptions index',
  up: (db) => {
    db.exec(`CREATE INDEX events_coupon ON events (coupon_code, member_id) WHERE coupon_code IS NOT NULL;`)
  },
}
