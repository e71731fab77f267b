import { describe, expect, it } from 'vitest'
import { AppError } from '../../shared/errors.ts'
import { buildExposedApi, clientFor, ApiError } from '../../shared/ipc/bridge.ts'
import { apiInputs, apiMethods, type ApiImpl } from '../../shared/ipc/contract.ts'
import { dispatchApiCall } from '../../shared/ipc/dispatch.ts'

const calls: unknown[][] = []
const impl = {
  app: { info: () => ({ locale: 'ja' }), setLocale: (locale: string) => ({ locale }) },
  customers: {
    search: (q: string) => {
      calls.push(['search', q])
      return []
    },
    card: (id: string) => {
      throw new AppError('not_found', `member ${id} is not in the cache`)
    },
  },
  scan: { resolve: async (text: string) => ({ kind: 'unknown', text }) },
  sync: { status: () => ({ state: 'idle' }), now: () => ({ state: 'syncing' }) },
} as unknown as ApiImpl

describe('the contract', () => {
  it('lists every method once, on app:-prefixed channels', () => {
    const channels = apiMethods().map((m) => m.channel)
    expect(new Set(channels).size).toBe(channels.length)
    expect(channels.every((c) => c.startsWith('app:'))).toBe(true)
    expect(channels.length).toBe(Object.values(apiInputs).reduce((n, group) => n + Object.keys(group).length, 0))
  })

  it('validates arguments before the implementation runs', async () => {
    calls.length = 0
    expect(await dispatchApiCall(impl, 'customers', 'search', [42])).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
    expect(await dispatchApiCall(impl, 'customers', 'search', ['a', 'extra'])).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
    expect(await dispatchApiCall(impl, 'app', 'setLocale', ['fr'])).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
    expect(calls).toEqual([])
    expect(await dispatchApiCall(impl, 'customers', 'search', ['やまだ'])).toEqual({ ok: true, value: [] })
    expect(calls).toEqual([['search', 'やまだ']])
  })

  it('refuses calls that are not in the contract, including prototype names', async () => {
    expect(await dispatchApiCall(impl, 'customers', 'drop', [])).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
    expect(await dispatchApiCall(impl, '__proto__', 'toString', [])).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
    expect(await dispatchApiCall(impl, 'customers', 'constructor', [])).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
  })

  it('carries error codes across as values, and the client throws them as ApiError', async () => {
    const exposed = buildExposedApi((channel, args) => {
      const [group, method] = channel.replace('app:', '').split('.')
      return dispatchApiCall(impl, group!, method!, args)
    })
    expect(await exposed.customers.card('M1')).toEqual({ ok: false, error: { code: 'not_found', message: 'member M1 is not in the cache' } })
    const client = clientFor(exposed)
    await expect(client.scan.resolve('x')).resolves.toEqual({ kind: 'unknown', text: 'x' })
    const error = await client.customers.card('M1').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect((error as ApiError).code).toBe('not_found')
  })
})
