// A recording HTTP proxy in front of the reference profile server, for faults the server cannot
// aim at one call (its faults hit the feed's GETs too): the handler sees every request, body
// included, and forwards it, answers it itself, or drops the connection. Every request is kept,
// byte for byte, with the status the client got.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { Socket } from 'node:net'

export type SeenRequest = {
  method: string
  /** Path and query, as sent. */
  path: string
  headers: Record<string, string>
  body: Buffer
  /** Date.now() when the request (with its body) had arrived. */
  at: number
  /** The status the client got; null while pending or when the connection was dropped. */
  status: number | null
  /** Date.now() when the answer was written or the connection dropped. */
  answeredAt: number | null
}

export type ProxyAnswer = { status: number; headers?: Record<string, string>; body?: string }
/** 'forward': to the upstream server; 'drop': close the connection without an answer. */
export type ProxyDecision = 'forward' | 'drop' | ProxyAnswer
/** Called for every request; `index` counts the requests with the same method and path (from 0). */
export type ProxyHandler = (request: SeenRequest, index: number) => ProxyDecision | Promise<ProxyDecision>

export interface FaultProxy {
  /** http://127.0.0.1:PORT */
  readonly url: string
  setHandler(handler: ProxyHandler): void
  /** Requests seen so far, oldest first; only those with this method and path (query ignored) when given. */
  requests(method?: string, pathname?: string): SeenRequest[]
  close(): Promise<void>
}

const hopByHop = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'host', 'upgrade', 'te', 'trailer', 'proxy-connection'])

/** Sends `request` to `upstream` and answers what it answered; throws when the upstream dropped it. */
export async function forwardTo(upstream: string, request: Pick<SeenRequest, 'method' | 'path' | 'headers' | 'body'>): Promise<ProxyAnswer> {
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(request.headers)) if (!hopByHop.has(name)) headers[name] = value
  const response = await fetch(upstream + request.path, {
    method: request.method,
    headers,
    body: request.method === 'GET' || request.method === 'HEAD' ? undefined : new Uint8Array(request.body),
    redirect: 'manual',
  })
  const out: Record<string, string> = {}
  response.headers.forEach((value, name) => {
    if (!hopByHop.has(name) && name !== 'content-encoding' && name !== 'date') out[name] = value
  })
  return { status: response.status, headers: out, body: await response.text() }
}

export async function startFaultProxy(upstream: string, initial: ProxyHandler = () => 'forward'): Promise<FaultProxy> {
  let handler = initial
  const seen: SeenRequest[] = []
  const sockets = new Set<Socket>()

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = []
    for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk)
    const headers: Record<string, string> = {}
    for (const [name, value] of Object.entries(req.headers)) if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value
    const request: SeenRequest = { method: req.method ?? 'GET', path: req.url ?? '/', headers, body: Buffer.concat(chunks), at: Date.now(), status: null, answeredAt: null }
    const pathname = pathOf(request.path)
    const index = seen.filter((r) => r.method === request.method && pathOf(r.path) === pathname).length
    seen.push(request)
    let answer: ProxyAnswer | null
    try {
      const decision = await handler(request, index)
      answer = decision === 'drop' ? null : decision === 'forward' ? await forwardTo(upstream, request) : decision
    } catch {
      answer = null // the upstream dropped the connection: so do we
    }
    request.answeredAt = Date.now()
    if (answer === null) {
      req.socket.destroy()
      return
    }
    request.status = answer.status
    const body = answer.body ?? ''
    res.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8', ...answer.headers, 'content-length': Buffer.byteLength(body) })
    res.end(body)
  }

  const server = createServer({ keepAlive: true }, (req, res) => void onRequest(req, res))
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as { port: number }
  let closed = false

  return {
    url: `http://127.0.0.1:${port}`,
    setHandler(next) {
      handler = next
    },
    requests(method, pathname) {
      return seen.filter((r) => (method === undefined || r.method === method) && (pathname === undefined || pathOf(r.path) === pathname))
    },
    async close() {
      if (closed) return
      closed = true
      const done = new Promise<void>((resolve) => server.close(() => resolve()))
      for (const socket of sockets) socket.destroy()
      await done
    },
  }
}

function pathOf(path: string): string {
  const q = path.indexOf('?')
  return q === -1 ? path : path.slice(0, q)
}
