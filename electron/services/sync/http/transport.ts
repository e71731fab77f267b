// HTTP requests made on a worker thread. Applying a page of the feed keeps the main thread busy
// for a tenth of a second or more; a request made there would not read its answer meanwhile, so
// the next page would only start arriving once the main thread is free again (measured: the
// client waited for the network 16 % of a full sync). On the worker, the next pages arrive while
// this one is applied. Answers come back whole: status, headers and the body as text (decoded as
// UTF-8, as fetch's text() does).
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'

export type TransportRequest = {
  id: number
  method: 'GET' | 'POST'
  url: string
  headers: Record<string, string>
  body?: string
  timeoutMs: number
  connectTimeoutMs: number
}

export type TransportReply =
  | { id: number; ok: true; status: number; headers: Array<[string, string]>; body: ArrayBuffer }
  | { id: number; ok: false; reason: string }

export type TransportAnswer = { status: number; headers: Headers; text: string }

/** Thrown when the request did not get an answer (network down, timeout): `reason` says why. */
export class TransportFailure extends Error {
  readonly reason: string
  constructor(reason: string) {
    super(reason)
    this.reason = reason
  }
}

// From source (Node's type stripping: tests, the CLI) the worker is the .ts beside this file;
// in the built app this module is bundled into out/main/index.js and the worker is built beside
// it as transport-worker.mjs (electron.vite.config.ts), which an installed app keeps unpacked
// beside app.asar (electron-builder.yml).
export function workerPathFor(moduleUrl: string): string {
  const path = fileURLToPath(new URL(moduleUrl.endsWith('.ts') ? './transport-worker.ts' : './transport-worker.mjs', moduleUrl))
  return path.replace(/([\\/])app\.asar([\\/])/, '$1app.asar.unpacked$2')
}

const workerPath = workerPathFor(import.meta.url)

const utf8 = new TextDecoder()

/** A request waiting for its answer, and the worker it was given to. */
type Pending = { worker: Worker; resolve: (answer: TransportAnswer) => void; reject: (error: unknown) => void }

export class WorkerTransport {
  private worker: Worker | null = null
  private readonly pending = new Map<number, Pending>()
  private nextId = 1
  private readonly connectTimeoutMs: number

  constructor(connectTimeoutMs: number) {
    this.connectTimeoutMs = connectTimeoutMs
  }

  request(request: Omit<TransportRequest, 'id' | 'connectTimeoutMs'>, signal?: AbortSignal): Promise<TransportAnswer> {
    signal?.throwIfAborted()
    const worker = this.started()
    const id = this.nextId++
    return new Promise<TransportAnswer>((resolve, reject) => {
      const onAbort = (): void => {
        worker.postMessage({ cancel: id })
        settle()
        reject(signal!.reason)
      }
      const settle = (): void => {
        signal?.removeEventListener('abort', onAbort)
        this.pending.delete(id)
        if (this.pending.size === 0) worker.unref()
      }
      this.pending.set(id, {
        worker,
        resolve: (answer) => {
          settle()
          resolve(answer)
        },
        reject: (error) => {
          settle()
          reject(error)
        },
      })
      signal?.addEventListener('abort', onAbort, { once: true })
      // A request in flight keeps the process alive, as a socket would; an idle worker does not.
      worker.ref()
      worker.postMessage({ ...request, id, connectTimeoutMs: this.connectTimeoutMs } satisfies TransportRequest)
    })
  }

  /** Ends the worker (requests in flight fail); a later request starts a new one. */
  async close(): Promise<void> {
    const worker = this.worker
    if (!worker) return
    this.worker = null
    this.failAll(worker, 'the connection was closed')
    const exited = new Promise((resolve) => worker.once('exit', resolve))
    worker.postMessage({ close: true })
    const timer = setTimeout(() => void worker.terminate(), 2000)
    await exited
    clearTimeout(timer)
  }

  private started(): Worker {
    if (this.worker) return this.worker
    const worker = new Worker(workerPath, { resourceLimits: { maxOldGenerationSizeMb: 32, maxYoungGenerationSizeMb: 8 } })
    worker.unref()
    worker.on('message', (reply: TransportReply) => {
      const pending = this.pending.get(reply.id)
      if (!pending) return // cancelled meanwhile
      if (reply.ok) pending.resolve({ status: reply.status, headers: new Headers(reply.headers), text: utf8.decode(reply.body) })
      else pending.reject(new TransportFailure(reply.reason))
    })
    const lost = (reason: string): void => {
      if (this.worker === worker) this.worker = null
      this.failAll(worker, reason)
    }
    worker.on('error', (error) => lost(`the HTTP worker failed: ${error.message}`))
    worker.on('exit', (code) => lost(`the HTTP worker stopped (${code})`))
    this.worker = worker
    return worker
  }

  /** Fails the requests given to `worker` (not those of a worker started after it). */
  private failAll(worker: Worker, reason: string): void {
    for (const pending of [...this.pending.values()]) if (pending.worker === worker) pending.reject(new TransportFailure(reason))
  }
}
