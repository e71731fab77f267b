// The HTTP worker as the installers ship it: out/main/transport-worker.mjs, started from
// app.asar.unpacked where nothing else of the app is (electron-builder.yml unpacks that one file).
// It must be one self-contained file: an import of a shared chunk would point into app.asar.
// Copied alone into such a folder, the built worker answers a request.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TransportReply, TransportRequest } from '../../electron/services/sync/http/transport.ts'
import { ROOT } from './paths.ts'

const BUILT = join(ROOT, 'out', 'main', 'transport-worker.mjs')

let server: Server
let base: string

beforeAll(async () => {
  server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'x-seen-token': req.headers.authorization ?? '' })
    res.end(JSON.stringify({ path: req.url, note: 'ありがとう' }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

describe('the built HTTP worker', () => {
  it('imports nothing but Node built-ins', () => {
    const source = readFileSync(BUILT, 'utf8')
    const statics = [...source.matchAll(/^\s*(?:import|export)\b[^'"]*?\bfrom\s*["']([^"']+)["']/gm)].map((m) => m[1]!)
    expect(statics.length).toBeGreaterThan(0)
    expect(statics.filter((s) => !s.startsWith('node:'))).toEqual([])
  })

  it('answers a request when it is the only file of the app in its folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'musubi-unpacked-'))
    const unpacked = join(dir, 'resources', 'app.asar.unpacked', 'out', 'main')
    mkdirSync(unpacked, { recursive: true })
    copyFileSync(BUILT, join(unpacked, 'transport-worker.mjs'))
    const worker = new Worker(join(unpacked, 'transport-worker.mjs'))
    try {
      const reply = await new Promise<TransportReply>((resolve, reject) => {
        worker.once('message', resolve)
        worker.once('error', reject)
        worker.once('exit', (code) => reject(new Error(`the worker exited (${code})`)))
        worker.postMessage({ id: 7, method: 'GET', url: `${base}/v1/changes?limit=1`, headers: { authorization: 'Bearer t' }, timeoutMs: 5000, connectTimeoutMs: 5000 } satisfies TransportRequest)
      })
      expect(reply.ok).toBe(true)
      if (!reply.ok) return
      expect(reply.id).toBe(7)
      expect(reply.status).toBe(200)
      expect(new Map(reply.headers).get('x-seen-token')).toBe('Bearer t')
      expect(JSON.parse(new TextDecoder().decode(reply.body))).toEqual({ path: '/v1/changes?limit=1', note: 'ありがとう' })
    } finally {
      await worker.terminate()
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
