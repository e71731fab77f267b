// The Profile API's calls (profile-api.md), answered from the server's own database. A route
// returns its answer instead of writing it, so the caller can drop the connection instead
// (the 'store-then-drop' fault).
import type { IncomingMessage } from 'node:http'
import { saleSchema } from '../../../shared/records.ts'
import { decodeCursor, encodeCursor } from './cursor.ts'
import type { Faults } from './faults.ts'
import { canonicalJson, checkAttach, checkSale, saleEvents } from './sales.ts'
import type { FeedRow, KeyScope, Store } from './store.ts'

export type Answer = { status: number; body: string | Buffer; headers?: Record<string, string> }

export type RouteContext = {
  store: Store
  /** The store this server serves: the X-Musubi-Store expected on a sale. */
  storeId: string
  token: string
  faults: Faults
  /** Draws the duplicates of duplicateChanges. */
  random: () => number
  /** Keys of sales and attachments being processed now (409 for a second request with one). */
  inFlight: Map<string, object>
  /** Waits out a 'slow' fault (resolves at once otherwise). */
  pause: () => Promise<void>
  /** False once the server restarted or closed after this request began: its work is abandoned. */
  alive: () => boolean
}

/** Thrown when the request's server went away (restart, close, the client hung up mid-body). */
export class Abandoned extends Error {}

const maxBodyBytes = 1 << 20
const maxLimit = 5000
const defaultLimit = 1000
const maxEvents = 500

const json = (status: number, value: unknown, headers?: Record<string, string>): Answer => ({ status, body: JSON.stringify(value), headers })
const error = (status: number, message: string, headers?: Record<string, string>): Answer => json(status, { error: message }, headers)

export async function route(ctx: RouteContext, req: IncomingMessage, url: URL): Promise<Answer> {
  const auth = /^Bearer +(\S+) *$/i.exec(req.headers.authorization ?? '')
  if (!auth || auth[1] !== ctx.token) {
    return error(401, auth ? 'the device token is not valid' : 'missing Authorization: Bearer <device token>', { 'www-authenticate': 'Bearer' })
  }
  const store = header(req, 'x-musubi-store')
  const device = header(req, 'x-musubi-device')
  if (store === undefined || device === undefined) return error(400, 'every request must carry X-Musubi-Store and X-Musubi-Device')

  const path = url.pathname
  let match: RegExpExecArray | null
  if (path === '/v1/changes') {
    const refused = allow(req, 'GET')
    if (refused) return refused
    await step(ctx, ctx.pause())
    return changes(ctx, url)
  }
  if (path === '/v1/sales') {
    const refused = allow(req, 'POST')
    if (refused) return refused
    // A token is issued to a register of one store: a sale for another store is not authorized.
    if (store !== ctx.storeId) return error(403, `this device is not authorized for store ${store} (this server serves ${ctx.storeId})`)
    return await withKey(ctx, req, 'sale', (key, body) => recordSale(ctx, key, body, store))
  }
  if ((match = /^\/v1\/sales\/([^/]+)\/member$/.exec(path))) {
    const saleId = decode(match[1]!)
    if (saleId === null) return error(404, `no such path: ${path}`)
    const refused = allow(req, 'POST')
    if (refused) return refused
    const key = header(req, 'idempotency-key')
    if (key !== `${saleId}:member`) {
      return error(422, `the Idempotency-Key of a member attachment must be ${saleId}:member, got ${key ?? 'none'}`)
    }
    return await withKey(ctx, req, 'member', (_key, body) => attachMember(ctx, saleId, body))
  }
  if ((match = /^\/v1\/customers\/([^/]+)$/.exec(path))) {
    const memberId = decode(match[1]!)
    if (memberId === null) return error(404, `no such path: ${path}`)
    const refused = allow(req, 'GET')
    if (refused) return refused
    await step(ctx, ctx.pause())
    return customer(ctx, memberId)
  }
  return error(404, `no such path: ${path}`)
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name]
  const text = Array.isArray(value) ? value[0] : value
  return text === undefined || text.trim() === '' ? undefined : text.trim()
}

function decode(segment: string): string | null {
  try {
    const text = decodeURIComponent(segment)
    return text === '' ? null : text
  } catch {
    return null
  }
}

function allow(req: IncomingMessage, method: string): Answer | null {
  return req.method === method ? null : error(405, `${req.method ?? '?'} is not allowed here; use ${method}`, { allow: method })
}

async function step<T>(ctx: RouteContext, promise: Promise<T>): Promise<T> {
  const value = await promise
  if (!ctx.alive()) throw new Abandoned('the server restarted while the request was being handled')
  return value
}

// 1. GET /v1/changes

function changes(ctx: RouteContext, url: URL): Answer {
  const limitText = url.searchParams.get('limit')
  const limit = limitText === null ? defaultLimit : /^[0-9]{1,9}$/.test(limitText) ? Number(limitText) : NaN
  if (!(limit >= 1 && limit <= maxLimit)) return error(400, `limit must be a whole number in 1..${maxLimit}, got ${JSON.stringify(limitText)}`)

  let after = 0
  const cursorText = url.searchParams.get('cursor')
  if (cursorText !== null) {
    const cursor = decodeCursor(cursorText)
    if (!cursor) return error(400, 'malformed cursor')
    if (cursor.feedId !== ctx.store.feedId || cursor.seq > ctx.store.headSeq() || cursor.epoch > ctx.store.epoch()) {
      return error(410, 'unknown cursor (not issued by this feed): sync again from no cursor')
    }
    if (ctx.store.isExpired(cursor.epoch, cursor.seq)) return error(410, 'the cursor has expired: sync again from no cursor')
    after = cursor.seq
  }

  // duplicateChanges: a third of the page's room goes to changes delivered again, rows put
  // together here; otherwise the page is the bytes SQLite put together (store.pageJson).
  const room = ctx.faults.duplicateChanges && limit >= 2 ? Math.max(1, Math.floor(limit / 3)) : 0
  if (room === 0) {
    const page = ctx.store.pageJson(after, limit)
    const cursor = encodeCursor({ feedId: ctx.store.feedId, epoch: ctx.store.epoch(), seq: page.last })
    return { status: 200, body: Buffer.concat([CHANGES_OPEN, page.json, Buffer.from(`],"cursor":${JSON.stringify(cursor)},"hasMore":${page.hasMore}}`)]) }
  }
  const { rows, hasMore } = ctx.store.page(after, limit - room)
  const last = rows.length > 0 ? rows[rows.length - 1]!.seq : after
  const delivered = withDuplicates(ctx, after, rows, room)
  const cursor = encodeCursor({ feedId: ctx.store.feedId, epoch: ctx.store.epoch(), seq: last })
  const body = `{"changes":[${delivered.map(changeJson).join(',')}],"cursor":${JSON.stringify(cursor)},"hasMore":${hasMore}}`
  return { status: 200, body }
}

const CHANGES_OPEN = Buffer.from('{"changes":[')

function changeJson(row: FeedRow): string {
  const head = `{"kind":${JSON.stringify(row.kind)},"op":${JSON.stringify(row.op)},"id":${JSON.stringify(row.id)}`
  return row.data === null ? `${head}}` : `${head},"data":${row.data}}`
}

/**
 * At-least-once delivery, as a log replayed from an earlier offset delivers it: the page starts
 * again with the last few changes before the cursor, and now and then repeats a run of its own
 * changes right after the run. Every repeat is a suffix of what came before it, so applying the
 * page leaves the same state as applying each change once, in commit order.
 */
function withDuplicates(ctx: RouteContext, after: number, rows: FeedRow[], room: number): FeedRow[] {
  let left = room
  const out: FeedRow[] = []
  if (after > 0) {
    const again = ctx.store.lastUpTo(after, Math.min(left, 1 + Math.floor(ctx.random() * 5)))
    out.push(...again)
    left -= again.length
  }
  rows.forEach((row, i) => {
    out.push(row)
    if (left > 0 && ctx.random() < 0.1) {
      const run = Math.min(left, i + 1, 1 + Math.floor(ctx.random() * 3))
      out.push(...rows.slice(i + 1 - run, i + 1))
      left -= run
    }
  })
  return out
}

// 2. GET /v1/customers/{memberId}

function customer(ctx: RouteContext, memberId: string): Answer {
  const record = ctx.store.latest('customer', memberId)
  if (record === null) return error(404, `unknown member ${memberId}`)
  const events = ctx.store
    .memberEvents(memberId)
    .map((text) => ({ text, at: timeOf(text) }))
    .sort((a, b) => b.at - a.at)
    .slice(0, maxEvents)
  return { status: 200, body: `{"customer":${record},"events":[${events.map((e) => e.text).join(',')}]}` }
}

/** An event's `at` in ms; an event without a readable one sorts last. */
function timeOf(text: string): number {
  const at = Date.parse(String((JSON.parse(text) as { at?: unknown }).at))
  return Number.isNaN(at) ? Number.MIN_SAFE_INTEGER : at
}

// 3 and 4. POST /v1/sales and /v1/sales/{saleId}/member: idempotent by key.

type Parsed = { value: unknown; canonical: string; text: string }

/**
 * The common part of both POSTs: a key is required; a key being processed gets 409; the body must
 * be JSON; a stored key answers 200 with its first answer (same JSON value) or 422 (different).
 */
async function withKey(
  ctx: RouteContext,
  req: IncomingMessage,
  scope: KeyScope,
  handle: (key: string, body: Parsed) => Answer,
): Promise<Answer> {
  const key = header(req, 'idempotency-key')
  if (key === undefined) return error(422, 'missing Idempotency-Key')
  const busy = `${scope}:${key}`
  if (ctx.inFlight.has(busy)) return error(409, `a request with Idempotency-Key ${key} is still being processed`)
  const mine = {} // a request abandoned by a restart must not release the key of a newer one
  ctx.inFlight.set(busy, mine)
  try {
    const text = await step(ctx, readBody(req))
    if (text === null) return error(413, `the body is larger than ${maxBodyBytes} bytes`)
    await step(ctx, ctx.pause())
    let value: unknown
    try {
      value = JSON.parse(text)
    } catch {
      return error(422, 'the body is not JSON')
    }
    const canonical = canonicalJson(value)
    const stored = ctx.store.getKey(scope, key)
    if (stored) {
      if (stored.request === canonical) return { status: 200, body: stored.response }
      return error(422, `Idempotency-Key ${key} was already used with a different body`)
    }
    return handle(key, { value, canonical, text })
  } finally {
    if (ctx.inFlight.get(busy) === mine) ctx.inFlight.delete(busy)
  }
}

async function readBody(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = []
  let size = 0
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length
      if (size > maxBodyBytes) return null
      chunks.push(chunk)
    }
  } catch (cause) {
    throw new Abandoned('the connection closed while the body was being read', { cause })
  }
  return Buffer.concat(chunks).toString('utf8')
}

function recordSale(ctx: RouteContext, key: string, body: Parsed, storeHeader: string): Answer {
  const checked = checkSale(body.value, key, storeHeader)
  if ('error' in checked) return error(422, checked.error)
  const { sale } = checked
  const receivedAt = new Date().toISOString()
  const response = JSON.stringify({ saleId: sale.saleId, receivedAt })
  ctx.store.recordSale(
    { saleId: sale.saleId, body: body.text, canonical: body.canonical, receivedAt, memberId: sale.memberId ?? null, response },
    saleEvents(sale, sale.memberId),
  )
  return { status: 201, body: response }
}

function attachMember(ctx: RouteContext, saleId: string, body: Parsed): Answer {
  const checked = checkAttach(body.value)
  if ('error' in checked) return error(422, checked.error)
  const { attach } = checked
  const stored = ctx.store.getSale(saleId)
  if (!stored) return error(404, `unknown sale ${saleId}`)
  if (stored.memberId !== null && stored.memberId !== attach.memberId) {
    return error(422, `sale ${saleId} already has another member`)
  }
  const sale = saleSchema.parse(JSON.parse(stored.body)) // checked when it was stored
  const response = JSON.stringify({ saleId, memberId: attach.memberId })
  ctx.store.attachMember(
    { saleId, memberId: attach.memberId, key: `${saleId}:member`, canonical: body.canonical, response, at: new Date().toISOString() },
    saleEvents(sale, attach.memberId),
  )
  return { status: 201, body: response }
}
