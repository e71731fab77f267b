// The manager's day (stats/daily.ts) reads a day's sales by their time.
import type { Migration } from './index.ts'

export const migration0150: Migration = {
  version: 150,
  name: 'sales by time',
  up: (db) => {
    db.exec(`CREATE INDEX sales_at ON sales (at);`)
  },
}
