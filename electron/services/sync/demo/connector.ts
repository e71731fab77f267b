// The demo connector: a generated Japanese lifestyle retailer, served as pages of the changes
// feed. The anchor day is taken from the clock on the first page and carried in the cursor, so a
// sync that resumes tomorrow still sees the same world, while a fresh one looks current.
import type { ProfileEvent } from '../../../../shared/records.ts'
import type { ChangePage, Connector, CustomerWithEvents, OutboxRequest, SendOutcome } from '../connector.ts'
import { anchorFeed, buildFeed, customerOf, eventsOf, FeedReader, traitsOf, type AnchoredFeed } from './feed.ts'
import { memberIndexOf } from './people.ts'

export type DemoOptions = {
  /** Default 20261122. */
  seed?: number
  /** 1: 50,000 members and 1,000,000 events; tests use 0.02. */
  scale?: number
  /** The register's store, which gets stock and a good share of the members. Default S001. */
  storeId?: string
  now?: () => Date
}

export const DEMO_STORE_ID = 'S001'
export const DEFAULT_DEMO_SEED = 20261122
const CURSOR_VERSION = 'demo1'
/** profile-api.md 2: the most recent events, at most 500. */
const MAX_CUSTOMER_EVENTS = 500
const cursorPattern = /^demo1:(\d{4}-\d{2}-\d{2}):(\d+):([0-9.e+-]+):(\d+)$/

/** The anchor day is a UTC calendar day; events end at its midnight. */
function dayOf(date: Date): string {
  const ms = date.getTime()
  if (Number.isNaN(ms)) throw new Error('demo connector: now() returned an invalid date')
  return date.toISOString().slice(0, 10)
}

function anchorMsOf(day: string): number {
  return Date.parse(`${day}T00:00:00.000Z`)
}

function formatCursor(day: string, seed: number, scale: number, position: number): string {
  return `${CURSOR_VERSION}:${day}:${seed}:${scale}:${position}`
}

function parseCursor(cursor: string, seed: number, scale: number, total: number): { day: string; position: number } {
  const match = cursorPattern.exec(cursor)
  const [, day, cursorSeed, cursorScale, cursorPosition] = match ?? []
  if (!day || !cursorSeed || !cursorScale || !cursorPosition || Number.isNaN(anchorMsOf(day))) {
    throw new Error(`demo connector: malformed cursor ${JSON.stringify(cursor)}`)
  }
  if (Number(cursorSeed) !== seed || Number(cursorScale) !== scale) {
    throw new Error(
      `demo connector: cursor ${JSON.stringify(cursor)} belongs to the demo feed of seed ${cursorSeed} scale ` +
        `${cursorScale}, this one is seed ${seed} scale ${scale}`,
    )
  }
  const position = Number(cursorPosition)
  if (!Number.isSafeInteger(position) || position > total) {
    throw new Error(`demo connector: cursor ${JSON.stringify(cursor)} points past the end of the feed (${total})`)
  }
  return { day, position }
}

function newestFirst(a: ProfileEvent, b: ProfileEvent): number {
  if (a.at !== b.at) return a.at < b.at ? 1 : -1
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}

export function createDemoConnector(options: DemoOptions = {}): Connector {
  const seed = options.seed ?? DEFAULT_DEMO_SEED
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new RangeError(`demo connector: seed must be an integer in [0, 2^32), got ${seed}`)
  }
  const scale = options.scale ?? 1
  const now = options.now ?? ((): Date => new Date())
  const feed = buildFeed(seed, scale, options.storeId ?? DEMO_STORE_ID)
  const total = feed.totals.total

  // Two anchors at most are in use at once: the one of a sync in progress and today's.
  const anchored = new Map<string, AnchoredFeed>()
  const anchoredOn = (day: string): AnchoredFeed => {
    let found = anchored.get(day)
    if (!found) {
      found = anchorFeed(feed, anchorMsOf(day))
      if (anchored.size >= 2) anchored.clear()
      anchored.set(day, found)
    }
    return found
  }
  let reader: { day: string; reader: FeedReader } | null = null
  const readerOn = (day: string): FeedReader => {
    if (reader?.day !== day) reader = { day, reader: new FeedReader(anchoredOn(day)) }
    return reader.reader
  }

  return {
    kind: 'demo',

    async pullChanges(cursor: string | null, limit: number, signal?: AbortSignal): Promise<ChangePage> {
      signal?.throwIfAborted()
      if (!Number.isInteger(limit) || limit < 1) {
        throw new RangeError(`demo connector: limit must be a positive integer, got ${limit}`)
      }
      const { day, position } = cursor === null ? { day: dayOf(now()), position: 0 } : parseCursor(cursor, seed, scale, total)
      const end = Math.min(total, position + limit)
      return {
        changes: readerOn(day).read(position, end),
        cursor: formatCursor(day, seed, scale, end),
        hasMore: end < total,
        progress: { done: end, total },
      }
    },

    async fetchCustomer(memberId: string, signal?: AbortSignal): Promise<CustomerWithEvents | null> {
      signal?.throwIfAborted()
      const index = memberIndexOf(memberId)
      if (index === null || index >= feed.totals.customers) return null
      const today = anchoredOn(dayOf(now()))
      const traits = traitsOf(feed, index)
      const events = eventsOf(today, traits).slice().sort(newestFirst).slice(0, MAX_CUSTOMER_EVENTS)
      return { customer: customerOf(today, traits), events }
    },

    // The demo retailer has no server: a sale is "stored" as soon as it is sent. It is already
    // in the cache (recorded locally with the feed's ids), so nothing comes back through the feed.
    async send(_request: OutboxRequest, signal?: AbortSignal): Promise<SendOutcome> {
      signal?.throwIfAborted()
      return { kind: 'sent' }
    },
  }
}
