// The HTTP transport on its worker thread: answers come back whole and exact, a cancelled or
// timed-out request fails at once with why, a closed transport starts again, and a process whose
// requests are done is not kept alive by the idle worker.
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TransportFailure, WorkerTransport, workerPathFor } from '../../electron/services/sync/http/transport.ts'

const ROOT = join(import.meta.dirname, '..', '..')

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
  })
}

let server: Server
let base: string

beforeAll(async () => {
  server = createServer((req, res) => {
    void readBody(req).then((body) => {
      if (req.url === '/echo') {
        res.writeHead(201, { 'content-type': 'application/json; charset=utf-8', 'x-seen-key': String(req.headers['idempotency-key']) })
        res.end(body)
      } else if (req.url === '/slow') {
        setTimeout(() => res.end('late'), 1500)
      } else if (req.url === '/big') {
        res.end('あ'.repeat(2_000_000))
      } else {
        res.writeHead(404)
        res.end()
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
})

describe('the worker transport', () => {
  it('sends the body and headers as given and answers status, headers and text exactly', async () => {
    const transport = new WorkerTransport(2000)
    try {
      const body = JSON.stringify({ saleId: 's-1', note: '結び　テスト 🍙', total: 1280 })
      const answer = await transport.request({ method: 'POST', url: `${base}/echo`, headers: { 'idempotency-key': 's-1', 'content-type': 'application/json' }, body, timeoutMs: 2000 })
      expect(answer.status).toBe(201)
      expect(answer.headers.get('x-seen-key')).toBe('s-1')
      expect(answer.text).toBe(body)
      const big = await transport.request({ method: 'GET', url: `${base}/big`, headers: {}, timeoutMs: 5000 })
      expect(big.text.length).toBe(2_000_000)
    } finally {
      await transport.close()
    }
  })

  it('fails a request past its timeout with the reason, and a cancelled one at once; the worker goes on', async () => {
    const transport = new WorkerTransport(2000)
    try {
      const timedOut = transport.request({ method: 'GET', url: `${base}/slow`, headers: {}, timeoutMs: 200 })
      await expect(timedOut).rejects.toBeInstanceOf(TransportFailure)
      await expect(timedOut).rejects.toThrow('no answer within 200 ms')

      const cancel = new AbortController()
      const started = performance.now()
      const cancelled = transport.request({ method: 'GET', url: `${base}/slow`, headers: {}, timeoutMs: 5000 }, cancel.signal)
      setTimeout(() => cancel.abort(new Error('stopped by the caller')), 50)
      await expect(cancelled).rejects.toThrow('stopped by the caller')
      expect(performance.now() - started).toBeLessThan(1000)

      await expect(transport.request({ method: 'GET', url: `${base}/nowhere`, headers: {}, timeoutMs: 2000 })).resolves.toMatchObject({ status: 404 })
    } finally {
      await transport.close()
    }
  })

  it('says why when nothing listens, and starts a new worker after close', async () => {
    const transport = new WorkerTransport(2000)
    try {
      const closed = createServer()
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
      const port = (closed.address() as AddressInfo).port
      await new Promise((resolve) => closed.close(resolve))
      await expect(transport.request({ method: 'GET', url: `http://127.0.0.1:${port}/`, headers: {}, timeoutMs: 2000 })).rejects.toThrow('ECONNREFUSED')
      await transport.close()
      await expect(transport.request({ method: 'POST', url: `${base}/echo`, headers: {}, body: 'again', timeoutMs: 2000 })).resolves.toMatchObject({ text: 'again' })
    } finally {
      await transport.close()
    }
  })

  it('a request made while the last worker is still closing is answered by the new one', async () => {
    const transport = new WorkerTransport(2000)
    try {
      await transport.request({ method: 'GET', url: `${base}/nowhere`, headers: {}, timeoutMs: 2000 })
      const closing = transport.close()
      const answer = transport.request({ method: 'POST', url: `${base}/echo`, headers: {}, body: 'after close', timeoutMs: 2000 })
      await closing
      await expect(answer).resolves.toMatchObject({ status: 201, text: 'after close' })
    } finally {
      await transport.close()
    }
  })

  it('does not keep a process alive once its requests are answered', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'musubi-transport-'))
    const file = join(dir, 'one-request.ts')
    writeFileSync(
      file,
      `import { WorkerTransport } from ${JSON.stringify(join(ROOT, 'electron/services/sync/http/transport.ts'))}
      const answer = await new WorkerTransport(2000).request({ method: 'GET', url: '${base}/nowhere', headers: {}, timeoutMs: 2000 })
      console.log(answer.status)`,
    )
    try {
      // Asynchronous: the server answering the child runs in this process.
      const child = await promisify(execFile)(process.execPath, [file], { cwd: ROOT, encoding: 'utf8', timeout: 20_000 })
      expect(child.stderr).toBe('')
      expect(child.stdout.trim()).toBe('404')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('finds its worker beside the module, and outside app.asar in an installed app', () => {
    expect(workerPathFor('file:///work/musubi/electron/services/sync/http/transport.ts')).toBe('/work/musubi/electron/services/sync/http/transport-worker.ts')
    expect(workerPathFor('file:///opt/Musubi/resources/app.asar/out/main/index.js')).toBe('/opt/Musubi/resources/app.asar.unpacked/out/main/transport-worker.mjs')
    expect(workerPathFor('file:///work/musubi/out/main/index.js')).toBe('/work/musubi/out/main/transport-worker.mjs')
  })
})
