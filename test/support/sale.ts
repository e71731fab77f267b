// A valid Sale for tests: this register (S001 / REG-01), a fresh UUID, and a total that is the sum
// of its lines (profile-api.md 3), unless the caller overrides it on purpose.
import { randomUUID } from 'node:crypto'
import type { Sale } from '../../shared/records.ts'

export type SaleLine = Sale['lines'][number]

export const defaultLines: readonly SaleLine[] = [
  { sku: 'SKU-1', qty: 2, unitPrice: 1490, discount: 100 },
  { sku: 'SKU-2', qty: 1, unitPrice: 5000, discount: 0 },
]

export const linesTotal = (lines: readonly SaleLine[]): number => lines.reduce((sum, l) => sum + l.qty * l.unitPrice - l.discount, 0)

export function sale(overrides: Partial<Sale> = {}): Sale {
  const lines = overrides.lines ?? defaultLines.map((line) => ({ ...line }))
  return {
    saleId: randomUUID(),
    storeId: 'S001',
    deviceId: 'REG-01',
    staffId: 'S0001',
    at: new Date().toISOString(),
    currency: 'JPY',
    lines,
    coupons: [],
    total: linesTotal(lines),
    suggestionsShown: [],
    suggestionsAccepted: [],
    ...overrides,
  }
}
