// The http connector asks for the next page of the feed as soon as an answer arrives, with the
// cursor read off the text (nextPageHint), so the server works while the register parses and
// applies. Only an answer asked for the cursor pullChanges is given is ever used.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHttpConnector, nextPageHint } from '../../electron/services/sync/http/connector.ts'
import { customer, upsert } from '../support/fixtures.ts'

describe('nextPageHint', () => {
  it('reads the cursor of a page that says there is more, wherever the keys are', () => {
    expect(nextPageHint('{"changes":[{"kind":"customer"}],"cursor":"djE6YTox","hasMore":true}')).toBe('djE6YTox')
    expect(nextPageHint('{ "hasMore" : true , "cursor" : "a\\"b\\u00e9", "changes": [] }')).toBe('a"bé')
    expect(nextPageHint('{"cursor":"c9","changes":[{"note":"\\"cursor\\": \\"not a key\\""}],"hasMore":true}')).toBe('c9')
  })

  it('answers null when the page is the last or the text does not tell', () => {
    expect(nextPageHint('{"changes":[],"cursor":"c1","hasMore":false}')).toBeNull()
    expect(nextPageHint('{"changes":[],"hasMore":true}')).toBeNull()
    expect(nextPageHint('{"changes":[],"cursor":"","hasMore":true}')).toBeNull()
    expect(nextPageHint('{"changes":[],"cursor":42,"hasMore":true}')).toBeNull()
    expect(nextPageHint('not json at all')).toBeNull()
  })

  it('may guess wrong when a record has a key named cursor after the real one', () => {
    expect(nextPageHint('{"cursor":"real","hasMore":true,"changes":[{"data":{"cursor":"fake"}}]}')).toBe('fake')
  })
})

describe('pulling the next page ahead', () => {
  /** Pages p0 → p1 → p2 → p3 (the last); p1's body names a record with a `cursor` key after its own. */
  const pages: Record<string, { changes: unknown[]; cursor: string; hasMore: boolean }> = {
    start: { changes: [upsert('customer', 'M0000001', customer('M0000001'))], cursor: 'p1', hasMore: true },
    p1: { cursor: 'p2', hasMore: true, changes: [upsert('customer', 'M0000002', { ...customer('M0000002'), cursor: 'bogus' })] },
    p2: { changes: [upsert('customer', 'M0000003', customer('M0000003'))], cursor: 'p3', hasMore: true },
    p3: { changes: [], cursor: 'p3', hasMore: false },
  }
  const asked: string[] = []
  let server: Server
  let endpoint: string

  beforeAll(async () => {
    server = createServer((req, res) => {
      const cursor = new URL(req.url!, 'http://x').searchParams.get('cursor') ?? 'start'
      asked.push(cursor)
      const page = pages[cursor]
      res.writeHead(page ? 200 : 400, { 'content-type': 'application/json' })
      res.end(JSON.stringify(page ?? { error: 'malformed cursor' }))
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  })

  const until = async (check: () => boolean): Promise<void> => {
    for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10))
    expect(check()).toBe(true)
  }

  it('asks for each page once, before it is pulled; a wrong guess costs a request and is never used', async () => {
    const connector = createHttpConnector({ endpoint, token: 't', storeId: 'S001', deviceId: 'D1' })
    try {
      const first = await connector.pullChanges(null, 100)
      expect(first.cursor).toBe('p1')
      // Asked for before the register asks: the server already had the request.
      await until(() => asked.includes('p1'))
      const second = await connector.pullChanges('p1', 100)
      expect(second).toMatchObject({ cursor: 'p2', hasMore: true })
      // The guess from p1's text was the record's key: asked, not used.
      await until(() => asked.includes('bogus'))
      const third = await connector.pullChanges('p2', 100)
      expect(third.changes).toEqual(pages.p2!.changes)
      const last = await connector.pullChanges('p3', 100)
      expect(last.hasMore).toBe(false)
      expect(asked).toEqual(['start', 'p1', 'bogus', 'p2', 'p3'])
      // Another limit is another request: an answer is used only for what it was asked for.
      await connector.pullChanges('p2', 100)
      await until(() => asked.at(-1) === 'p3')
      await connector.pullChanges('p3', 5)
      expect(asked.slice(5)).toEqual(['p2', 'p3', 'p3'])
    } finally {
      await connector.close()
    }
  })
})
