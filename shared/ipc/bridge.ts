// Both ends of `window.musubi` that run in a browser context: the exposed object (built by the
// preload, or by the E2E harness in a plain page) and the renderer's typed client over it.
import type { ErrorCode } from '../errors.ts'
import { apiMethods, type ApiResult, type AppApi, type Bridged, type ExposedApi } from './contract.ts'

/** One function per contract method, each forwarding to `invoke` on its own channel. */
export function buildExposedApi(invoke: (channel: string, args: unknown[]) => Promise<ApiResult<unknown>>): ExposedApi {
  const api: Record<string, Record<string, (...args: unknown[]) => Promise<ApiResult<unknown>>>> = {}
  for (const { group, method, channel } of apiMethods()) {
    api[group] ??= {}
    api[group][method] = (...args: unknown[]) => invoke(channel, args)
  }
  return api as unknown as ExposedApi
}

export class ApiError extends Error {
  readonly code: ErrorCode
  constructor(code: ErrorCode, message: string) {
    super(message)
    this.name = 'ApiError'
    this.code = code
  }
}

/** The renderer's client: same shape as the contract, answers unwrapped, failures thrown as ApiError. */
export function clientFor(exposed: ExposedApi): Bridged<AppApi> {
  const client: Record<string, Record<string, (...args: unknown[]) => Promise<unknown>>> = {}
  for (const { group, method } of apiMethods()) {
    const call = (exposed as unknown as Record<string, Record<string, (...a: unknown[]) => Promise<ApiResult<unknown>>>>)[group]![method]!
    client[group] ??= {}
    client[group][method] = async (...args: unknown[]) => {
      const result = await call(...args)
      if (result.ok) return result.value
      throw new ApiError(result.error.code, result.error.message)
    }
  }
  return client as unknown as Bridged<AppApi>
}
