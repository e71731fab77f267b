// HTTP to the profile service: the headers every call carries, timeouts, and the answers that mean
// the same for every call (profile-api.md). The requests themselves run on a worker thread
// (transport.ts), with store-network proxies and extra CAs (transport-worker.ts).
import { AppError } from '../../../../shared/errors.ts'
import { TransportFailure, WorkerTransport, type TransportAnswer } from './transport.ts'

export type HttpClientOptions = { endpoint: string; token: string; storeId: string; deviceId: string; timeoutMs: number }

export type HttpAnswer = TransportAnswer

export const MAX_RETRY_AFTER_MS = 60_000

/** `Retry-After` in seconds or as an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | null {
  if (!value) return null
  const trimmed = value.trim()
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000
  const at = Date.parse(trimmed)
  return Number.isNaN(at) ? null : Math.max(0, at - now)
}

/** https, or http to a loopback address only (tests, a local relay). */
export function endpointProblem(endpoint: string): string | null {
  let url: URL
  try {
    url = new URL(endpoint)
  } catch {
    return 'not a URL'
  }
  if (url.protocol === 'https:') return null
  if (url.protocol !== 'http:') return `${url.protocol} is not supported (use https)`
  const host = url.hostname.replace(/^\[|\]$/g, '')
  const loopback = host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)
  return loopback ? null : 'https is required (plain http only to a loopback address)'
}

export class HttpClient {
  private readonly base: string
  private readonly transport: WorkerTransport
  private readonly options: HttpClientOptions

  constructor(options: HttpClientOptions) {
    const problem = endpointProblem(options.endpoint)
    if (problem) throw new AppError('config_invalid', `"connector.endpoint": ${problem}`)
    this.options = options
    this.base = options.endpoint.replace(/\/+$/, '')
    this.transport = new WorkerTransport(options.timeoutMs)
  }

  /** One request; network failures and timeouts throw AppError('offline'). */
  async request(method: 'GET' | 'POST', path: string, init: { body?: string; headers?: Record<string, string>; timeoutMs?: number; signal?: AbortSignal } = {}): Promise<HttpAnswer> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.options.token}`,
      'x-musubi-store': this.options.storeId,
      'x-musubi-device': this.options.deviceId,
      accept: 'application/json',
      ...init.headers,
    }
    if (init.body !== undefined) headers['content-type'] = 'application/json; charset=utf-8'
    try {
      return await this.transport.request({ method, url: this.base + path, headers, body: init.body, timeoutMs: init.timeoutMs ?? this.options.timeoutMs }, init.signal)
    } catch (error) {
      if (error instanceof TransportFailure) throw new AppError('offline', `${method} ${path}: ${error.reason}`)
      throw error
    }
  }

  /**
   * The answers every call treats alike: 401/403 stop syncing; 429, 5xx and redirects are
   * faults retried later (Retry-After honoured, capped at 60 s).
   */
  checkCommon(answer: HttpAnswer, what: string): void {
    const { status } = answer
    if (status === 401 || status === 403) {
      throw new AppError('unauthorized', `${what}: the profile service refused this register (${status}${errorText(answer)}); check its token and store in the configuration`)
    }
    if (status === 429 || status >= 500) {
      const retryAfter = parseRetryAfter(answer.headers.get('retry-after'))
      throw new AppError('fault', `${what}: the profile service answered ${status}${errorText(answer)}`, retryAfter === null ? null : Math.min(retryAfter, MAX_RETRY_AFTER_MS))
    }
    if (status >= 300 && status < 400) throw new AppError('fault', `${what}: unexpected redirect (${status}) to ${answer.headers.get('location') ?? '?'}`)
  }

  close(): Promise<void> {
    return this.transport.close()
  }
}

function errorText(answer: HttpAnswer): string {
  try {
    const body = JSON.parse(answer.text) as { error?: unknown }
    return typeof body.error === 'string' ? `: ${body.error.slice(0, 200)}` : ''
  } catch {
    return ''
  }
}

/** A `\\u` escape of a surrogate, the only way JSON text can hold a lone one. */
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/

/**
 * The body as JSON, or a fault: a 2xx whose body is not the JSON described is a fault. Strings
 * come out well-formed: a lone surrogate (which only an escape can carry; the bytes are decoded
 * with U+FFFD for anything broken) becomes U+FFFD, which is what SQLite stores for it when bound,
 * so a record compares and looks up the same before and after it is stored.
 */
export function jsonBody(answer: HttpAnswer, what: string): unknown {
  try {
    // includes() first: a page rarely holds any escape, and it scans text ~4x faster than the
    // regex (measured: 6 ms against 25 ms over 81 MB); a first sync of 1M/10M is ~3 GB of it.
    if (!answer.text.includes('\\u') || !SURROGATE_ESCAPE.test(answer.text)) return JSON.parse(answer.text) as unknown
    return JSON.parse(answer.text, (_key, value: unknown) => (typeof value === 'string' ? value.toWellFormed() : value)) as unknown
  } catch {
    throw new AppError('fault', `${what}: the answer (${answer.status}) is not JSON`)
  }
}
