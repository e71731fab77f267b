// Sale arithmetic every register and the server agree on (profile-api.md): integer yen,
// total = Σ (qty × unitPrice − discount), never negative.
import type { Sale } from '../records.ts'

export function saleTotal(lines: Sale['lines']): number {
  let total = 0
  for (const line of lines) total += line.qty * line.unitPrice - line.discount
  return total
}
