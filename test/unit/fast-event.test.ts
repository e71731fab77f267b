// The fast event check answers exactly as the schema does: the same event for valid ones, and
// nothing of its own for broken ones (the schema then decides).
import { describe, expect, it } from 'vitest'
import { fastEvent } from '../../electron/services/sync/fast-event.ts'
import { eventSchema } from '../../shared/records.ts'
import { prng } from '../support/random.ts'

const valid = { id: 'e1', memberId: 'M0000001', type: 'purchase', channel: 'store', sku: 'SKU-1', qty: 2, price: 1490, orderId: 'o1', storeId: 'S001', couponCode: 'C1', at: '2026-11-20T05:00:00Z' }

const oddValues: unknown[] = [undefined, null, '', 'x', 'a'.repeat(65), 'a'.repeat(201), 0, -1, 1.5, 2 ** 53, NaN, Infinity, true, [], {}, 'view', 'web', 'not a time', '2026-13-45', '2026-11-20']

describe('fastEvent', () => {
  it('gives the schema’s event for valid events, with and without the optional fields', () => {
    expect(fastEvent(valid)).toEqual(eventSchema.parse(valid))
    const { sku: _s, qty: _q, price: _p, orderId: _o, storeId: _st, couponCode: _c, ...bare } = valid
    expect(fastEvent({ ...bare, type: 'view', channel: 'web' })).toEqual(eventSchema.parse({ ...bare, type: 'view', channel: 'web' }))
    // Unknown fields are dropped, as the schema drops them.
    expect(fastEvent({ ...valid, extra: 1 })).toEqual(eventSchema.parse({ ...valid, extra: 1 }))
  })

  it('never accepts what the schema refuses, and agrees where it accepts (20,000 seeded mutations)', () => {
    const random = prng(424242)
    const keys = Object.keys(valid)
    let accepted = 0
    for (let i = 0; i < 20_000; i++) {
      const event: Record<string, unknown> = { ...valid }
      for (let n = 1 + Math.floor(random() * 3); n > 0; n--) {
        const key = keys[Math.floor(random() * keys.length)]!
        const value = oddValues[Math.floor(random() * oddValues.length)]
        if (value === undefined && random() < 0.5) delete event[key]
        else event[key] = value
      }
      const fast = fastEvent(event)
      const schema = eventSchema.safeParse(event)
      if (fast !== null) {
        accepted++
        expect(schema.success).toBe(true)
        expect(fast).toEqual(schema.data)
      }
    }
    expect(accepted).toBeGreaterThan(500)
  })

  it('leaves non-objects to the schema', () => {
    for (const value of [null, 'x', 1, [valid]]) expect(fastEvent(value)).toBeNull()
  })
})
