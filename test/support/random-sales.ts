// Varied valid sales for the durability tests: this register (S001 / REG-01), a fresh UUID each,
// 1–4 lines, some with coupon discounts, some with a member, and a total that is the sum of the
// lines (profile-api.md 3). The shape is drawn from a seeded PRNG; only the ids are random.
import { randomUUID } from 'node:crypto'
import type { Sale } from '../../shared/records.ts'

const skus = ['SKU-RUN-01', 'SKU-RUN-02', 'SKU-SOCK-1', 'SKU-TEE-M', 'SKU-CAP-01', 'SKU-BAG-07', '4901234567894']
const prices = [490, 1490, 2990, 5500, 12_800, 16_500]

export function randomSale(random: () => number, at: Date = new Date()): Sale {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!
  const lineCount = 1 + Math.floor(random() * 4)
  const withCoupon = random() < 0.2
  const lines = Array.from({ length: lineCount }, () => {
    const qty = 1 + Math.floor(random() * 3)
    const unitPrice = pick(prices)
    const discount = withCoupon ? Math.floor((qty * unitPrice) / 10) : 0
    return { sku: pick(skus), qty, unitPrice, discount }
  })
  const sale: Sale = {
    saleId: randomUUID(),
    storeId: 'S001',
    deviceId: 'REG-01',
    staffId: `S${String(1 + Math.floor(random() * 20)).padStart(4, '0')}`,
    at: at.toISOString(),
    currency: 'JPY',
    lines,
    coupons: withCoupon ? ['WELCOME10'] : [],
    total: lines.reduce((sum, l) => sum + l.qty * l.unitPrice - l.discount, 0),
    suggestionsShown: [],
    suggestionsAccepted: [],
  }
  if (random() < 0.3) {
    sale.memberId = `M${String(1 + Math.floor(random() * 5000)).padStart(7, '0')}`
    const shown = [pick(skus), pick(skus)].filter((sku, i, all) => all.indexOf(sku) === i)
    sale.suggestionsShown = shown
    sale.suggestionsAccepted = shown.filter((sku) => lines.some((line) => line.sku === sku))
  }
  if (random() < 0.5) sale.posReceipt = `R-${Math.floor(random() * 1e8)}`
  return sale
}
