// A reference Profile API server (../../../../shared/profile-api.md) for Musubi's HTTP connector,
// with its own SQLite database and seeded fault injection. In-process: startProfileServer();
// as a child process: main.ts.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import { checkFaults, defaultFaults, drawFault, prng, type Faults } from './faults.ts'
import { Abandoned, route, type Answer, type RouteContext } from './routes.ts'
import { openStore, type Store } from './store.ts'

export type { Faults } from './faults.ts'

export type ProfileServerOptions = {
  /** Its own SQLite file (WAL, synchronous=FULL); survives restarts. */
  dbFile: string
  /** 0 = any; a restart reuses the same port. */
  port?: number
  /** Expected X-Musubi-Store for sales (default 'S001'). */
  storeId?: string
  /** Expected bearer token (default 'test-token'); wrong/missing → 401. */
  token?: string
  faults?: Partial<Faults>
}

export interface ProfileServer {
  /** http://127.0.0.1:PORT */
  readonly url: string
  setFaults(faults: Partial<Faults>): void
  /** Closes all sockets abruptly (destroy), reopens the database, listens on the same port. */
  restart(): Promise<void>
  close(): Promise<void>
  /** Appended to the feed in commit order (one transaction). */
  addChanges(changes: Array<{ kind: string; op: 'upsert' | 'delete'; id: string; data?: unknown }>): void
  sales(): Array<{ saleId: string; body: unknown; receivedAt: string; memberId: string | null }>
  saleCount(): number
  requests(): { total: number; byPath: Record<string, number>; faults: number }
  /** Cursors issued before this call whose position is before `seq` get 410 Gone. */
  expireCursorsBefore(seq: number): void
}

export async function startProfileServer(options: ProfileServerOptions): Promise<ProfileServer> {
  const storeId = options.storeId ?? 'S001'
  const token = options.token ?? 'test-token'
  let faults = checkFaults({ ...defaultFaults, ...options.faults })
  let faultRandom = prng(faults.seed)
  let dupRandom = prng(faults.seed ^ 0x5bd1e995)
  const counts = { total: 0, byPath: {} as Record<string, number>, faults: 0 }

  let store: Store = openStore(options.dbFile)
  let generation = 0 // bumped by restart and close: work begun before is abandoned
  let closed = false
  const inFlight = new Map<string, object>()
  const sockets = new Set<Socket>()
  const sleeps = new Set<() => void>() // wakes the 'slow' waits on restart and close

  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer)
        sleeps.delete(wake)
        resolve()
      }
      const timer = setTimeout(wake, ms)
      sleeps.add(wake)
    })

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://profile.invalid')
    counts.total++
    counts.byPath[url.pathname] = (counts.byPath[url.pathname] ?? 0) + 1
    const fault = drawFault(faults, faultRandom)
    if (fault !== null) counts.faults++
    if (fault === 'drop' || (fault === 'store-then-drop' && req.method !== 'POST')) return drop(req)
    if (fault === '500') return send(res, { status: 500, body: JSON.stringify({ error: 'injected fault: internal error' }) })
    if (fault === '429') {
      const headers = { 'retry-after': String(faults.retryAfterSeconds) }
      return send(res, { status: 429, body: JSON.stringify({ error: 'injected fault: too many requests' }), headers })
    }

    const started = generation
    const slowMs = faults.slowMs
    const ctx: RouteContext = {
      store,
      storeId,
      token,
      faults,
      random: dupRandom,
      inFlight,
      pause: () => (fault === 'slow' ? sleep(slowMs) : Promise.resolve()),
      alive: () => generation === started,
    }
    let answer: Answer
    try {
      answer = await route(ctx, req, url)
    } catch (error) {
      if (error instanceof Abandoned) return drop(req)
      console.error('profile-server: unexpected error', error)
      answer = { status: 500, body: JSON.stringify({ error: `unexpected: ${String(error)}` }) }
    }
    if (fault === 'store-then-drop') return drop(req) // the work is committed; the answer is lost
    send(res, answer)
  }

  function drop(req: IncomingMessage): void {
    req.socket.destroy()
  }

  function send(res: ServerResponse, answer: Answer): void {
    if (res.destroyed || res.socket?.destroyed) return
    res.writeHead(answer.status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': typeof answer.body === 'string' ? Buffer.byteLength(answer.body) : answer.body.length,
      ...answer.headers,
    })
    res.end(answer.body)
  }

  function listen(port: number): Promise<Server> {
    const server = createServer({ keepAlive: true }, (req, res) => void onRequest(req, res))
    server.on('connection', (socket) => {
      sockets.add(socket)
      socket.on('close', () => sockets.delete(socket))
    })
    return new Promise((resolve, reject) => {
      server.once('error', reject)
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject)
        resolve(server)
      })
    })
  }

  /** Stops listening and destroys every connection: in-flight requests get no answer. */
  async function shutDown(server: Server): Promise<void> {
    generation++
    inFlight.clear()
    for (const wake of [...sleeps]) wake()
    const done = new Promise<void>((resolve) => server.close(() => resolve()))
    for (const socket of sockets) socket.destroy()
    sockets.clear()
    await done
  }

  let server = await listen(options.port ?? 0)
  const port = (server.address() as { port: number }).port

  return {
    url: `http://127.0.0.1:${port}`,
    setFaults(next) {
      const merged = checkFaults({ ...faults, ...next })
      if (next.seed !== undefined) {
        faultRandom = prng(merged.seed)
        dupRandom = prng(merged.seed ^ 0x5bd1e995)
      }
      faults = merged
    },
    async restart() {
      if (closed) throw new Error('the profile server is closed')
      await shutDown(server)
      store.close()
      store = openStore(options.dbFile)
      server = await listen(port)
    },
    async close() {
      if (closed) return
      closed = true
      await shutDown(server)
      store.close()
    },
    addChanges(changes) {
      store.append(changes)
    },
    sales() {
      return store.sales().map((sale) => ({ ...sale, body: JSON.parse(sale.body) as unknown }))
    },
    saleCount: () => store.saleCount(),
    requests: () => ({ total: counts.total, byPath: { ...counts.byPath }, faults: counts.faults }),
    expireCursorsBefore(seq) {
      if (Number.isNaN(seq)) throw new RangeError('expireCursorsBefore needs a number')
      store.expireBefore(Math.min(Math.max(0, Math.floor(seq)), Number.MAX_SAFE_INTEGER))
    },
  }
}
