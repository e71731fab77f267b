// The HTTP transport's worker thread (see transport.ts): it makes the requests and reads the
// answers on its own event loop, so a page of the feed arrives while the main thread is busy
// applying the one before it. Only plain data crosses the thread boundary.
import { parentPort } from 'node:worker_threads'
import { EnvHttpProxyAgent, fetch } from 'undici'
import type { TransportReply, TransportRequest } from './transport.ts'

const port = parentPort!
// HTTPS_PROXY / NO_PROXY through undici's EnvHttpProxyAgent (the worker sees the process's
// environment); NODE_EXTRA_CA_CERTS is honoured by Node's TLS in every thread.
const agents = new Map<number, EnvHttpProxyAgent>()
const running = new Map<number, AbortController>()

function agentFor(connectTimeoutMs: number): EnvHttpProxyAgent {
  let agent = agents.get(connectTimeoutMs)
  if (!agent) agents.set(connectTimeoutMs, (agent = new EnvHttpProxyAgent({ connect: { timeout: connectTimeoutMs } })))
  return agent
}

async function perform(request: TransportRequest): Promise<TransportReply> {
  const cancel = new AbortController()
  running.set(request.id, cancel)
  const timeout = AbortSignal.timeout(request.timeoutMs)
  try {
    const response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal: AbortSignal.any([cancel.signal, timeout]),
      redirect: 'manual',
      dispatcher: agentFor(request.connectTimeoutMs),
    })
    // The bytes, not text: moved to the main thread without a copy, and decoded there, so the
    // worker keeps no large strings about (it stays a few MB).
    const body = await response.arrayBuffer()
    return { id: request.id, ok: true, status: response.status, headers: [...response.headers], body }
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause
    const reason = timeout.aborted ? `no answer within ${request.timeoutMs} ms` : (cause?.code ?? cause?.message ?? (error as Error).message)
    return { id: request.id, ok: false, reason }
  } finally {
    running.delete(request.id)
  }
}

port.on('message', (message: TransportRequest | { cancel: number } | { close: true }) => {
  if ('close' in message) {
    for (const controller of running.values()) controller.abort()
    void Promise.allSettled([...agents.values()].map((agent) => agent.close())).then(() => port.close())
  } else if ('cancel' in message) running.get(message.cancel)?.abort()
  else void perform(message).then((reply) => port.postMessage(reply, reply.ok ? [reply.body] : []))
})
