// The node side of a contract call, shared by electron/main's ipc handlers and the E2E harness:
// validate the arguments, call the implementation, answer a result value.
import { toErrorValue } from '../errors.ts'
import { apiInputs, type ApiImpl, type ApiResult, type AppApi } from './contract.ts'

export async function dispatchApiCall(impl: ApiImpl, group: string, method: string, args: unknown): Promise<ApiResult<unknown>> {
  const schemas = apiInputs as Record<string, Record<string, { safeParse(v: unknown): { success: boolean; data?: unknown; error?: { message: string } } }>>
  const schema = Object.hasOwn(schemas, group) && Object.hasOwn(schemas[group]!, method) ? schemas[group]![method] : undefined
  if (!schema) return { ok: false, error: { code: 'invalid_input', message: `unknown call ${group}.${method}` } }
  const parsed = schema.safeParse(args)
  if (!parsed.success) return { ok: false, error: { code: 'invalid_input', message: `${group}.${method}: ${parsed.error?.message ?? 'bad arguments'}` } }
  try {
    const fn = (impl[group as keyof AppApi] as Record<string, (...a: unknown[]) => unknown>)[method]!
    const value = await fn(...(parsed.data as unknown[]))
    return { ok: true, value }
  } catch (error) {
    return { ok: false, error: toErrorValue(error) }
  }
}
