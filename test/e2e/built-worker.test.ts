// The worker threads as the installers ship them. The HTTP worker, out/main/transport-worker.mjs,
// is started from app.asar.unpacked where nothing else of the app is (electron-builder.yml unpacks
// that one file): it must be one self-contained file, as an import of a shared chunk would point
// into app.asar. Copied alone into such a folder, the built worker answers a request. The search
// index's, out/main/search-worker.mjs, and the staged events' reader's, staged-rows-worker.mjs,
// stay beside index.js and import better-sqlite3 only.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TransportReply, TransportRequest } from '../../electron/services/sync/http/transport.ts'
import { openSearchFile, SearchOp } from '../../electron/services/db/search-index.ts'
import type { IndexerReply, IndexerRequest } from '../../electron/services/db/search-indexer.ts'
import Database from 'better-sqlite3'
import { inTransaction } from '../../electron/services/db/handle.ts'
import { openDatabase } from '../../electron/services/db/open.ts'
import { newStagingId, stagingFileFor, stagingId, type StagedRowsReply } from '../../electron/services/db/staged-rows.ts'
import { applyPage } from '../../electron/services/sync/apply.ts'
import { adoptSource } from '../../electron/services/sync/sync-service.ts'
import { customer, event, upsert } from '../support/fixtures.ts'
import { ROOT } from './paths.ts'

const BUILT = join(ROOT, 'out', 'main', 'transport-worker.mjs')
const BUILT_SEARCH = join(ROOT, 'out', 'main', 'search-worker.mjs')
const BUILT_ROWS = join(ROOT, 'out', 'main', 'staged-rows-worker.mjs')

/** The modules a built file imports statically. */
const importsOf = (file: string) => [...readFileSync(file, 'utf8').matchAll(/^\s*(?:import|export)\b[^'"]*?\bfrom\s*["']([^"']+)["']/gm)].map((m) => m[1]!)

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
    const statics = importsOf(BUILT)
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

describe('the built search index worker', () => {
  it('imports better-sqlite3 and Node built-ins only', () => {
    expect(importsOf(BUILT_SEARCH).filter((s) => !s.startsWith('node:'))).toEqual(['better-sqlite3'])
  })

  it('applies queued changes to the index file and answers with the last one applied', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'musubi-search-worker-'))
    const file = join(dir, 'musubi-search.db')
    const worker = new Worker(BUILT_SEARCH, { workerData: { file } })
    const ask = (request: IndexerRequest) =>
      new Promise<IndexerReply>((resolve, reject) => {
        worker.once('message', resolve)
        worker.once('error', reject)
        worker.postMessage(request)
      })
    try {
      const record = JSON.stringify(customer('M0000001', { displayName: '高橋 一郎' }))
      const work = [
        { seq: 5, rowid: 1, op: SearchOp.added, terms: null, record },
        { seq: 6, rowid: 2, op: SearchOp.added, terms: 'm0000002 山田 太郎', record: null },
      ]
      expect(await ask({ id: 1, type: 'work', work })).toEqual({ id: 1, ok: true, seq: 6 })
      expect(await ask({ id: 2, type: 'bulk', on: false })).toEqual({ id: 2, ok: true, seq: 6 })
      const search = openSearchFile(file)
      const match = (query: string) => search.prepare('SELECT rowid FROM customers_fts WHERE customers_fts MATCH ?').pluck().all(query)
      expect(match('"高橋"*')).toEqual([1])
      expect(match('"山田"*')).toEqual([2])
      search.close()
    } finally {
      await worker.terminate()
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('the built staged events reader', () => {
  it('imports better-sqlite3 and Node built-ins only', () => {
    expect(importsOf(BUILT_ROWS).filter((s) => !s.startsWith('node:'))).toEqual(['better-sqlite3'])
  })

  it('reads the staged batches into rows and says how far when asked to stop', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'musubi-rows-worker-'))
    const registerFile = join(dir, 'musubi.db')
    const db = openDatabase(registerFile)
    try {
      adoptSource(db, 'test')
      inTransaction(db, () => newStagingId(db))
      applyPage(db, [upsert('event', 'e1', event('e1')), upsert('event', 'e2', event('e2', { type: 'purchase' }))], 'c1', 1, { staged: true })
      const file = stagingFileFor(registerFile)!
      const worker = new Worker(BUILT_ROWS, { workerData: { registerFile, file, staging: stagingId(db) } })
      const reply = new Promise<StagedRowsReply>((resolve, reject) => {
        worker.once('message', resolve)
        worker.once('error', reject)
      })
      // Its first step runs as it starts, before any message is heard; the stop, after it.
      worker.postMessage({ type: 'stop' })
      expect(await reply).toEqual({ type: 'stopped', upto: 1 })
      const rows = new Database(file, { readonly: true })
      expect(rows.prepare('SELECT id, type FROM rows').all()).toEqual([
        { id: 'e1', type: 'view' },
        { id: 'e2', type: 'purchase' },
      ])
      rows.close()
    } finally {
      db.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
