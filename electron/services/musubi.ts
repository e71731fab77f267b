// One register's services, wired from the config: what electron/main, the CLI and the tests
// open. Nothing here imports electron.
import { join } from 'node:path'
import type { ApiImpl, AppEvents } from '../../shared/ipc/contract.ts'
import type { ScannedCode, ScanOutcome } from '../../shared/views.ts'
import pkg from '../../package.json' with { type: 'json' }
import { createApi } from './api.ts'
import { createHidService } from './hid/service.ts'
import { recordSale, type RecordResult } from './sales/record.ts'
import { loadConfig, connectorKey, type LoadedConfig } from './config/config.ts'
import { resolveDataDir, type Env } from './config/paths.ts'
import type { WritableDB } from './db/handle.ts'
import { openDatabase } from './db/open.ts'
import { searchIndexer } from './db/search-indexer.ts'
import { createConnector, pageSizeFor } from './sync/connectors.ts'
import { createSyncService, type SyncService } from './sync/sync-service.ts'
import { defaultRetryPolicy, type RetryPolicy } from './sync/retry.ts'

export type MusubiOptions = {
  configPath?: string | undefined
  dataDir?: string | undefined
  env?: Env
  now?: () => Date
  /** Electron's main process tells keyboard-wedge scans apart itself; elsewhere the page does. */
  wedgeIn?: 'main' | 'renderer'
}

export interface Musubi {
  readonly api: ApiImpl
  /** What a scanned text is, for IT's tools (no signed-in associate, nothing logged). */
  lookup(text: string): Promise<ScanOutcome>
  readonly db: WritableDB
  readonly sync: SyncService
  readonly loaded: LoadedConfig
  readonly dataDir: string
  /** Records a finished sale (validated as the server will) with its outbox row, in one transaction. */
  recordSale(input: unknown): RecordResult
  on<E extends keyof AppEvents>(event: E, listener: (payload: AppEvents[E]) => void): () => void
  /** Announces a code read by a node-side scanner to the window. */
  emitScan(scan: ScannedCode): void
  /** Opens the chosen HID POS scanner (and keeps reopening it when it is replugged). */
  startScanners(): void
  /** The first sync and then one round every `sync.intervalSeconds`. */
  startBackgroundSync(): void
  close(): Promise<void>
}

export const DATABASE_FILE = 'musubi.db'

/** MUSUBI_RETRY_BASE_MS shortens the first backoff step (the fault tests use a few ms). */
function retryPolicyFrom(env: Env): RetryPolicy {
  const base = Number(env['MUSUBI_RETRY_BASE_MS'])
  return Number.isFinite(base) && base > 0 ? { ...defaultRetryPolicy, baseMs: base } : defaultRetryPolicy
}

export function openMusubi(options: MusubiOptions = {}): Musubi {
  const env = options.env ?? process.env
  const now = options.now ?? (() => new Date())
  const loaded = loadConfig({ configPath: options.configPath, env })
  const { config } = loaded
  const connector = createConnector(config, now)
  const dataDir = resolveDataDir(options.dataDir, env)
  const db = openDatabase(join(dataDir, DATABASE_FILE))
  searchIndexer(db).useWorker()
  const key = connectorKey(config)
  const sync = createSyncService({
    db,
    connector,
    connectorKey: key,
    pageSize: pageSizeFor(config),
    now,
    storeId: config.storeId,
    retentionDays: config.retentionDays,
    retry: retryPolicyFrom(env),
  })
  const scanListeners = new Set<(scan: ScannedCode) => void>()
  const emitScan = (scan: ScannedCode) => {
    for (const listener of scanListeners) listener(scan)
  }
  const hid = createHidService({
    db,
    onScan: (scan) => emitScan({ ...scan, source: 'hid', partial: false }),
    onPartial: () => emitScan({ text: '', source: 'hid', symbology: null, partial: true }),
  })
  const api = createApi({ db, config, connectorKey: key, configWarnings: loaded.warnings, sync, now, version: pkg.version, wedgeIn: options.wedgeIn ?? 'renderer', hid })
  let closed = false

  return {
    api,
    lookup: (text) => api.lookup(text),
    db,
    sync,
    loaded,
    dataDir,
    recordSale(input) {
      return recordSale({ db, storeId: config.storeId, deviceId: config.deviceId, connectorKey: key, now }, input)
    },
    on(event, listener) {
      switch (event) {
        case 'sync.status':
          return sync.onStatus(listener as (payload: AppEvents['sync.status']) => void)
        case 'scan.code': {
          const l = listener as (payload: ScannedCode) => void
          scanListeners.add(l)
          return () => scanListeners.delete(l)
        }
      }
      throw new Error(`openMusubi.on: unknown event ${String(event)}`)
    },
    emitScan,
    startScanners() {
      hid.start()
    },
    startBackgroundSync() {
      sync.startSchedule(config.sync.intervalSeconds)
    },
    async close() {
      if (closed) return
      closed = true
      hid.stop()
      await sync.stop()
      api.flush()
      await (connector as { close?: () => Promise<void> }).close?.()
      await searchIndexer(db).close()
      db.close()
    },
  }
}
