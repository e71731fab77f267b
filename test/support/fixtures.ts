// Small hand-made records for tests that must not depend on the demo generator.
import type { Customer, ProfileEvent, Product, RawChange } from '../../shared/records.ts'

export function customer(memberId: string, overrides: Partial<Customer> = {}): Customer {
  return {
    memberId,
    displayName: '山田 太郎',
    nameKana: 'ヤマダ タロウ',
    email: 'taro.yamada@example.jp',
    phone: '090-1234-5678',
    tier: 'gold',
    points: 1200,
    tags: ['runner'],
    consent: { personalization: true },
    sizes: { shoes: '26.5', tops: 'M' },
    updatedAt: '2026-11-01T00:00:00.000Z',
    ...overrides,
  }
}

export function product(sku: string, overrides: Partial<Product> = {}): Product {
  return { sku, barcodes: ['4901234567894'], name: 'ランニングソックス', category: ['衣料', 'ソックス'], price: 1490, currency: 'JPY', active: true, ...overrides }
}

export function event(id: string, overrides: Partial<ProfileEvent> = {}): ProfileEvent {
  return { id, memberId: 'M0000001', type: 'view', channel: 'web', sku: 'SKU-1', at: '2026-11-20T05:00:00.000Z', ...overrides }
}

export const upsert = (kind: string, id: string, data: unknown): RawChange => ({ kind, op: 'upsert', id, data })
export const del = (kind: string, id: string): RawChange => ({ kind, op: 'delete', id })
