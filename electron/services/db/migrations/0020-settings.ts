// Choices that belong to this register (UI language, later camera and scanner), never rebuilt.
import type { Migration } from './index.ts'

export const migration0020: Migration = {
  version: 20,
  name: 'register settings',
  up: (db) => {
    db.exec(`
      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;
    `)
  },
}
