// The fast event and customer checks answer exactly as the schemas do: the same record for valid
// ones, and nothing of their own for broken ones (the schema then decides).
import { describe, expect, it } from 'vitest'
import { eventRow } from '../../electron/services/db/event-rows.ts'
import { fastCustomer, fastEvent, fastEventRow } from '../../electron/services/sync/fast-records.ts'
import { customerSchema, eventSchema } from '../../shared/records.ts'
import { prng } from '../support/random.ts'

const valid = { id: 'e1', memberId: 'M0000001', type: 'purchase', channel: 'store', sku: 'SKU-1', qty: 2, price: 1490, orderId: 'o1', storeId: 'S001', couponCode: 'C1', at: '2026-11-20T05:00:00Z' }

const oddValues: unknown[] = [undefined, null, '', 'x', 'a'.repeat(65), 'a'.repeat(201), 0, -1, 1.5, 2 ** 53, NaN, Infinity, true, [], {}, 'view', 'web', 'not a time', '2026-13-45', '2026-11-20']

/**
 * Mutates `valid` 20,000 times (one to three fields set to odd values or removed) and checks that
 * the fast check accepts only what the schema accepts, answering the same record. Answers how many
 * mutations it accepted (a test that accepts none proves nothing).
 */
function agreesWithSchema(fast: (data: unknown) => unknown, schema: { safeParse(data: unknown): { success: boolean; data?: unknown } }, valid: object, odd: unknown[], seed: number): number {
  const random = prng(seed)
  const keys = Object.keys(valid)
  let accepted = 0
  for (let i = 0; i < 20_000; i++) {
    const record: Record<string, unknown> = { ...valid }
    for (let n = 1 + Math.floor(random() * 3); n > 0; n--) {
      const key = keys[Math.floor(random() * keys.length)]!
      const value = odd[Math.floor(random() * odd.length)]
      if (value === undefined && random() < 0.5) delete record[key]
      else record[key] = value
    }
    const answer = fast(record)
    if (answer !== null) {
      accepted++
      const parsed = schema.safeParse(record)
      expect(parsed.success).toBe(true)
      expect(answer).toEqual(parsed.data)
    }
  }
  return accepted
}

describe('fastEvent', () => {
  it('gives the schema’s event for valid events, with and without the optional fields', () => {
    expect(fastEvent(valid)).toEqual(eventSchema.parse(valid))
    const { sku: _s, qty: _q, price: _p, orderId: _o, storeId: _st, couponCode: _c, ...bare } = valid
    expect(fastEvent({ ...bare, type: 'view', channel: 'web' })).toEqual(eventSchema.parse({ ...bare, type: 'view', channel: 'web' }))
    // Unknown fields are dropped, as the schema drops them.
    expect(fastEvent({ ...valid, extra: 1 })).toEqual(eventSchema.parse({ ...valid, extra: 1 }))
  })

  it('never accepts what the schema refuses, and agrees where it accepts (20,000 seeded mutations)', () => {
    expect(agreesWithSchema(fastEvent, eventSchema, valid, oddValues, 424242)).toBeGreaterThan(500)
  })

  it('leaves non-objects to the schema', () => {
    for (const value of [null, 'x', 1, [valid]]) expect(fastEvent(value)).toBeNull()
  })
})

describe('fastEventRow', () => {
  it('is the row of the event fastEvent answers, and refuses what it refuses (20,000 seeded mutations)', () => {
    const rowOfFast = (data: unknown): unknown => {
      const row = fastEventRow(data)
      const event = fastEvent(data)
      expect(row).toEqual(event && eventRow(event))
      return row === null ? null : event
    }
    expect(agreesWithSchema(rowOfFast, eventSchema, valid, oddValues, 77)).toBeGreaterThan(500)
    // Times kept as they came when canonical, normalised when not.
    expect(fastEventRow({ ...valid, at: '2026-11-20T05:00:00.000Z' })![10]).toBe('2026-11-20T05:00:00.000Z')
    expect(fastEventRow({ ...valid, at: '2026-11-20T14:00:00+09:00' })![10]).toBe('2026-11-20T05:00:00.000Z')
  })
})

const customer = {
  memberId: 'M0000001',
  displayName: '山田 花子',
  nameKana: 'ヤマダ ハナコ',
  email: 'hanako@example.jp',
  phone: '090-1234-5678',
  tier: 'gold',
  points: 1200,
  tags: ['vip', 'runner'],
  consent: { personalization: true },
  sizes: { shoes: '24.0', tops: 'M' },
  updatedAt: '2026-11-20T05:00:00Z',
}

const oddCustomerValues: unknown[] = [
  ...oddValues,
  'a'.repeat(41),
  'a'.repeat(321),
  ['x'],
  ['a'.repeat(81)],
  [1],
  Array(201).fill('t'),
  { personalization: 'yes' },
  { personalization: false, extra: 1 },
  { shoes: 24 },
  { shoes: '24', tops: null },
  JSON.parse('{"__proto__": "x"}'),
  Object.create(null),
]

describe('fastCustomer', () => {
  it('gives the schema’s customer for valid customers, with and without the optional fields', () => {
    expect(fastCustomer(customer)).toEqual(customerSchema.parse(customer))
    const { nameKana: _k, email: _e, phone: _p, tier: _t, points: _pt, sizes: _s, ...bare } = customer
    expect(fastCustomer({ ...bare, tags: [] })).toEqual(customerSchema.parse({ ...bare, tags: [] }))
    expect(fastCustomer({ ...customer, extra: 1, consent: { personalization: false, extra: 2 } })).toEqual(
      customerSchema.parse({ ...customer, extra: 1, consent: { personalization: false, extra: 2 } }),
    )
  })

  it('never accepts what the schema refuses, and agrees where it accepts (20,000 seeded mutations)', () => {
    expect(agreesWithSchema(fastCustomer, customerSchema, customer, oddCustomerValues, 515151)).toBeGreaterThan(500)
  })

  it('leaves non-objects and odd size keys to the schema', () => {
    for (const value of [null, 'x', 1, [customer]]) expect(fastCustomer(value)).toBeNull()
    expect(fastCustomer({ ...customer, sizes: JSON.parse('{"__proto__": "x"}') })).toBeNull()
  })
})
