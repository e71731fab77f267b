// The `http` connector: profile-api.md over HTTPS.
import { AppError } from '../../../../shared/errors.ts'
import { customerSchema, type ProfileEvent, type RawChange } from '../../../../shared/records.ts'
import type { ChangePage, Connector, CustomerWithEvents, OutboxRequest, SendOutcome } from '../connector.ts'
import { HttpClient, jsonBody, parseRetryAfter, type HttpAnswer } from './client.ts'

export type HttpConnectorOptions = {
  endpoint: string
  token: string
  storeId: string
  deviceId: string
  /** Per request; the feed's pages can be large. */
  timeoutMs?: number
  /** The counter waits at most this long for a member fetched on demand (profile-api.md 2). */
  customerTimeoutMs?: number
}

/** An answer asked for ahead is used only this soon: later, the feed may have grown past it. */
const AHEAD_FOR_MS = 10_000

/**
 * The cursor of the next page and whether there is one, read off a page's text without parsing
 * it: the last `"cursor"` key and the last `"hasMore"` key (a server writes them after the
 * changes, or before; a record with keys of those names can make the guess wrong, which costs
 * one request and nothing else). Null when the text does not say there is more.
 */
export function nextPageHint(text: string): string | null {
  const more = text.lastIndexOf('"hasMore"')
  if (more < 0 || !/^"hasMore"\s*:\s*true\b/.test(text.slice(more, more + 40))) return null
  const at = text.lastIndexOf('"cursor"')
  if (at < 0) return null
  const match = /^"cursor"\s*:\s*("(?:[^"\\\u0000-\u001f]|\\.){1,4096}")/.exec(text.slice(at, at + 8300))
  if (!match) return null
  try {
    const cursor = JSON.parse(match[1]!) as string
    return cursor === '' ? null : cursor
  } catch {
    return null
  }
}

export function createHttpConnector(options: HttpConnectorOptions): Connector & { close(): Promise<void> } {
  const client = new HttpClient({ ...options, timeoutMs: options.timeoutMs ?? 30_000 })
  const customerTimeoutMs = options.customerTimeoutMs ?? 1500

  function unexpected(what: string, status: number): AppError {
    return new AppError('unexpected_answer', `${what}: unexpected answer ${status}; check the endpoint in the configuration`)
  }

  // The feed is a chain: the next page can be asked for only with this one's cursor. Waiting for
  // the page to be parsed (and the one before it applied) to learn it left the server idle for
  // that long each page; instead the cursor is read off the answer's text at once (nextPageHint)
  // and the next page asked for while this one is parsed and applied. A guess the parsed page
  // does not confirm is never used: pullChanges only takes an answer asked for its own cursor.
  let ahead: { cursor: string; limit: number; at: number; cancel: AbortController; answer: Promise<HttpAnswer> } | null = null

  function changesPath(cursor: string | null, limit: number): string {
    const query = new URLSearchParams({ limit: String(limit) })
    if (cursor !== null) query.set('cursor', cursor)
    return `/v1/changes?${query}`
  }

  function askAhead(cursor: string, limit: number): void {
    ahead?.cancel.abort()
    const cancel = new AbortController()
    const answer = client.request('GET', changesPath(cursor, limit), { signal: cancel.signal })
    // Failures are for whoever takes the answer; one nobody takes must not go unhandled.
    answer.catch(() => undefined)
    ahead = { cursor, limit, at: Date.now(), cancel, answer }
  }

  function changesAnswer(cursor: string | null, limit: number, signal: AbortSignal | undefined): Promise<HttpAnswer> {
    const taken = ahead
    ahead = null
    if (taken && taken.cursor === cursor && taken.limit === limit && Date.now() - taken.at < AHEAD_FOR_MS && !signal?.aborted) {
      if (!signal) return taken.answer
      const onAbort = (): void => taken.cancel.abort(signal.reason)
      signal.addEventListener('abort', onAbort, { once: true })
      return taken.answer.finally(() => signal.removeEventListener('abort', onAbort))
    }
    taken?.cancel.abort()
    return client.request('GET', changesPath(cursor, limit), { signal })
  }

  return {
    kind: 'http',

    async pullChanges(cursor, limit, signal): Promise<ChangePage> {
      const what = 'GET /v1/changes'
      const answer = await changesAnswer(cursor, limit, signal)
      client.checkCommon(answer, what)
      if (answer.status === 410) throw new AppError('cursor_expired', `${what}: the server no longer knows this register's cursor; resyncing from the beginning`)
      if (answer.status !== 200) throw unexpected(what, answer.status)
      const next = nextPageHint(answer.text)
      if (next) askAhead(next, limit)
      const body = jsonBody(answer, what) as { changes?: unknown; cursor?: unknown; hasMore?: unknown }
      if (!body || !Array.isArray(body.changes) || typeof body.cursor !== 'string' || body.cursor === '' || typeof body.hasMore !== 'boolean') {
        throw new AppError('fault', `${what}: the answer is not a page of changes`)
      }
      return { changes: body.changes as RawChange[], cursor: body.cursor, hasMore: body.hasMore }
    },

    async fetchCustomer(memberId, signal): Promise<CustomerWithEvents | null> {
      const what = 'GET /v1/customers'
      const answer = await client.request('GET', `/v1/customers/${encodeURIComponent(memberId)}`, { signal, timeoutMs: customerTimeoutMs })
      client.checkCommon(answer, what)
      if (answer.status === 404) return null
      if (answer.status !== 200) throw unexpected(what, answer.status)
      const body = jsonBody(answer, what) as { customer?: unknown; events?: unknown }
      const customer = customerSchema.safeParse(body?.customer)
      if (!customer.success || customer.data.memberId !== memberId || !Array.isArray(body.events)) {
        throw new AppError('fault', `${what}: the answer is not the customer asked for`)
      }
      // Events are validated one by one where they are applied, like the feed's.
      return { customer: customer.data, events: body.events as ProfileEvent[] }
    },

    async send(request: OutboxRequest, signal): Promise<SendOutcome> {
      const what = `POST ${request.path}`
      const answer = await client.request('POST', request.path, { body: request.body, headers: { 'idempotency-key': request.idempotencyKey }, signal })
      client.checkCommon(answer, what)
      switch (answer.status) {
        case 200:
        case 201: {
          const body = jsonBody(answer, what) as { saleId?: unknown }
          if (!body || typeof body !== 'object' || typeof body.saleId !== 'string') throw new AppError('fault', `${what}: the answer is not the stored sale`)
          return { kind: 'sent' }
        }
        case 409:
          return { kind: 'retry', reason: `${what}: still being processed (409)`, retryAfterMs: parseRetryAfter(answer.headers.get('retry-after')) }
        case 404:
          if (request.path.endsWith('/member')) return { kind: 'retry', reason: `${what}: the sale is not there yet (404)`, retryAfterMs: null }
          throw unexpected(what, answer.status)
        case 422: {
          let reason = 'refused (422)'
          try {
            const body = JSON.parse(answer.text) as { error?: unknown }
            if (typeof body.error === 'string') reason = `refused (422): ${body.error}`
          } catch {
            // The status alone is the verdict.
          }
          return { kind: 'rejected', reason }
        }
        default:
          throw unexpected(what, answer.status)
      }
    },

    async serverTime(signal): Promise<Date | null> {
      const what = 'GET /v1/changes'
      const answer = await client.request('GET', '/v1/changes?limit=1', { signal, timeoutMs: 5000 })
      // Only an answer this register can sync with counts: a refused token (401/403) or a wrong
      // endpoint must not make `doctor` report the connector as working.
      client.checkCommon(answer, what)
      if (answer.status !== 200) throw unexpected(what, answer.status)
      const date = answer.headers.get('date')
      return date ? new Date(date) : null
    },

    close: () => {
      ahead?.cancel.abort()
      ahead = null
      return client.close()
    },
  }
}
