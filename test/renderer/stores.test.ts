// @vitest-environment happy-dom
// The Pinia stores over a fake `window.musubi` (the contract's exposed shape), with real
// actions: what the counter does with each answer.
import { createTestingPinia } from '@pinia/testing'
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { buildExposedApi } from '../../shared/ipc/bridge.ts'
import type { ApiResult } from '../../shared/ipc/contract.ts'
import type { CustomerCard, CustomerHit } from '../../shared/views.ts'

type Handler = (...args: unknown[]) => unknown
const handlers = new Map<string, Handler>()

function card(memberId: string): CustomerCard {
  return {
    customer: { memberId, displayName: `名前 ${memberId}`, tags: [], consent: { personalization: true }, updatedAt: '2026-11-01T00:00:00Z' },
    timeline: [],
    eventCount: 0,
    recentlyViewed: [],
    stats: { onlinePurchases: 0, storePurchases: 0, spendLastYearYen: 0, lastVisitHereAt: null },
    freshness: { asOf: null, stale: true },
    suggestions: { personalized: true, suggestions: [] },
    coupons: [],
  }
}

beforeAll(() => {
  const invoke = async (channel: string, args: unknown[]): Promise<ApiResult<unknown>> => {
    const handler = handlers.get(channel)
    if (!handler) return { ok: false, error: { code: 'internal', message: `no handler for ${channel}` } }
    try {
      return { ok: true, value: await handler(...args) }
    } catch (error) {
      return { ok: false, error: { code: 'not_found', message: (error as Error).message } }
    }
  }
  ;(window as unknown as { musubi: unknown }).musubi = { api: buildExposedApi(invoke), on: () => () => undefined }
  ;(globalThis as unknown as { AudioContext: unknown }).AudioContext = undefined
})

beforeEach(() => {
  handlers.clear()
  createTestingPinia({ createSpy: vi.fn, stubActions: false })
})

describe('customer store', () => {
  it('keeps the previous customer one tap away', async () => {
    const { useCustomerStore } = await import('../../renderer/src/stores/customer.ts')
    const store = useCustomerStore()
    store.show(card('M1'))
    store.show(card('M2'))
    expect(store.previous?.customer.memberId).toBe('M1')
    store.clear()
    expect(store.card).toBeNull()
    expect(store.previous?.customer.memberId).toBe('M2')
    store.restorePrevious()
    expect(store.card?.customer.memberId).toBe('M2')
  })

  it('drops a search answer that arrives after a newer query', async () => {
    const { useCustomerStore } = await import('../../renderer/src/stores/customer.ts')
    const store = useCustomerStore()
    let releaseSlow: (hits: CustomerHit[]) => void = () => undefined
    handlers.set('app:customers.search', (q) =>
      q === 'や' ? new Promise<CustomerHit[]>((resolve) => (releaseSlow = resolve)) : [{ memberId: 'M2', displayName: '山田', nameKana: null, tier: null, phoneMasked: null, emailMasked: null }],
    )
    const slow = store.search('や')
    await store.search('やま')
    releaseSlow([{ memberId: 'M9', displayName: '古い答え', nameKana: null, tier: null, phoneMasked: null, emailMasked: null }])
    await slow
    expect(store.hits.map((h) => h.memberId)).toEqual(['M2'])
    expect(store.searchState).toBe('done')
  })

  it('searches after a pause in typing, and a scan that clears the box cancels a search still waiting', async () => {
    const { useCustomerStore } = await import('../../renderer/src/stores/customer.ts')
    const store = useCustomerStore()
    const asked: unknown[] = []
    handlers.set('app:customers.search', (q) => {
      asked.push(q)
      return [{ memberId: 'M2', displayName: '佐藤', nameKana: null, tier: null, phoneMasked: null, emailMasked: null }]
    })
    vi.useFakeTimers()
    try {
      store.type('さ')
      store.type('さとう')
      expect(store.query).toBe('さとう')
      await vi.advanceTimersByTimeAsync(100)
      expect(asked).toEqual(['さとう'])
      expect(store.hits.map((h) => h.memberId)).toEqual(['M2'])
      // The box is put back as it was before a scan's burst, and the scan then opens a card.
      store.type('さとう')
      store.clearSearch()
      await vi.advanceTimersByTimeAsync(100)
      expect(asked).toEqual(['さとう'])
      expect(store.query).toBe('')
      expect(store.hits).toEqual([])
      expect(store.searchState).toBe('idle')
    } finally {
      vi.useRealTimers()
    }
  })
})

describe('counter store', () => {
  it('opens the card for a member scan and records scan-to-card', async () => {
    const { useCounterStore, SCAN_TO_CARD } = await import('../../renderer/src/stores/counter.ts')
    const { useCustomerStore } = await import('../../renderer/src/stores/customer.ts')
    handlers.set('app:scan.resolve', (text) => ({ kind: 'member', memberId: text, card: card(text as string) }))
    performance.clearMeasures(SCAN_TO_CARD)
    await useCounterStore().handleScan('M0000007')
    expect(useCustomerStore().card?.customer.memberId).toBe('M0000007')
    expect(useCounterStore().scanState).toBe('done')
    expect(performance.getEntriesByName(SCAN_TO_CARD)).toHaveLength(1)
  })

  it('says "unknown code" and keeps the customer', async () => {
    const { useCounterStore } = await import('../../renderer/src/stores/counter.ts')
    const { useCustomerStore } = await import('../../renderer/src/stores/customer.ts')
    useCustomerStore().show(card('M1'))
    handlers.set('app:scan.resolve', (text) => ({ kind: 'unknown', text }))
    await useCounterStore().handleScan('???')
    expect(useCounterStore().notice).toMatchObject({ tone: 'error', key: 'scan.unknownCode', params: { code: '???' } })
    expect(useCounterStore().scanState).toBe('error')
    expect(useCustomerStore().card?.customer.memberId).toBe('M1')
  })

  it('turns a failed call into a notice, not an exception', async () => {
    const { useCounterStore } = await import('../../renderer/src/stores/counter.ts')
    handlers.set('app:scan.resolve', () => {
      throw new Error('database is locked')
    })
    await useCounterStore().handleScan('M1')
    expect(useCounterStore().notice).toMatchObject({ key: 'scan.failed', params: { message: 'database is locked' } })
  })
})

describe('app store', () => {
  it('puts the language back when storing the choice fails', async () => {
    const { useAppStore } = await import('../../renderer/src/stores/app.ts')
    const { i18n } = await import('../../renderer/src/i18n/index.ts')
    handlers.set('app:app.setLocale', () => {
      throw new Error('disk full')
    })
    i18n.global.locale.value = 'ja'
    await expect(useAppStore().setLocale('en')).rejects.toThrow('disk full')
    expect(i18n.global.locale.value).toBe('ja')
  })
})
