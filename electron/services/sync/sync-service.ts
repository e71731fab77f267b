// The one sync path for every connector: pull pages until the cache is current, applying each
// page with its cursor in one transaction, and report progress and state to whoever listens
// (the window, the CLI's stderr).
import { toErrorValue } from '../../../shared/errors.ts'
import type { SyncStatus } from '../../../shared/views.ts'
import type { WritableDB } from '../db/handle.ts'
import { initSyncState, markCaughtUp, readSyncState, resetCache } from '../db/sync-state.ts'
import { applyPage } from './apply.ts'
import type { Connector } from './connector.ts'

export type SyncServiceOptions = {
  db: WritableDB
  connector: Connector
  /** Identifies the source the cache is built from; a change starts a fresh cache. */
  connectorKey: string
  pageSize: number
  now: () => Date
}

export type RoundResult = { applied: number; skipped: number; pages: number }

export interface SyncService {
  status(): SyncStatus
  /** One round: pull until up to date. Concurrent callers share the running round. */
  runRound(): Promise<RoundResult>
  /** Runs a round now and then every `intervalSeconds`; errors are kept in the status, not thrown. */
  startSchedule(intervalSeconds: number): void
  /** Stops the schedule; resolves when a running round has ended (at a page boundary). */
  stop(): Promise<void>
  onStatus(listener: (status: SyncStatus) => void): () => void
}

/** Makes sure the cache belongs to `connectorKey`, emptying it when the source changed. */
export function adoptSource(db: WritableDB, connectorKey: string): void {
  const state = readSyncState(db)
  if (!state) initSyncState(db, connectorKey)
  else if (state.connectorKey !== connectorKey) db.transaction(() => resetCache(db, connectorKey)).immediate()
}

export function createSyncService(options: SyncServiceOptions): SyncService {
  const { db, connector, pageSize, now } = options
  adoptSource(db, options.connectorKey)
  const listeners = new Set<(status: SyncStatus) => void>()
  let running: Promise<RoundResult> | null = null
  let timer: ReturnType<typeof setTimeout> | null = null
  let stopped = false
  let current: Omit<SyncStatus, 'lastSuccessAt' | 'skippedChanges' | 'firstSync'> = {
    state: 'idle',
    progress: null,
    lastError: null,
    salesWaiting: 0,
    salesFailed: 0,
  }

  function status(): SyncStatus {
    const state = readSyncState(db)
    return {
      ...current,
      firstSync: !state?.fullSyncDone,
      lastSuccessAt: state?.lastSuccessAt ?? null,
      skippedChanges: state?.skippedChanges ?? 0,
    }
  }

  let lastEmit = 0
  function emit(force = false): void {
    const t = Date.now()
    // Progress comes many times a second during a full sync; the window needs a few.
    if (!force && t - lastEmit < 100) return
    lastEmit = t
    const snapshot = status()
    for (const listener of listeners) listener(snapshot)
  }

  async function round(): Promise<RoundResult> {
    const startedAt = Date.now()
    const result: RoundResult = { applied: 0, skipped: 0, pages: 0 }
    const counts = { customers: 0, products: 0, events: 0 }
    current = { ...current, state: 'syncing', progress: { applied: 0, total: null, etaSeconds: null, counts: { ...counts } } }
    emit(true)
    try {
      for (;;) {
        if (stopped) {
          // Stopped between pages: the cache is at a page boundary, the round is over.
          current = { ...current, state: 'idle', progress: null }
          return result
        }
        const state = readSyncState(db)!
        const page = await connector.pullChanges(state.cursor, pageSize)
        const applied = applyPage(db, page.changes, page.cursor, state.generation)
        result.pages++
        result.applied += page.changes.length - applied.skipped - applied.ignored
        result.skipped += applied.skipped
        counts.customers += applied.customers
        counts.products += applied.products
        counts.events += applied.events
        const total = page.progress ? page.progress.total : null
        const done = page.progress ? page.progress.done : result.applied
        const elapsed = (Date.now() - startedAt) / 1000
        const rate = result.applied / Math.max(elapsed, 0.001)
        const etaSeconds = total !== null && rate > 0 ? Math.max(0, Math.round((total - done) / rate)) : null
        current = { ...current, progress: { applied: done, total, etaSeconds, counts: { ...counts } } }
        emit()
        if (!page.hasMore) break
        // Let the window and other callers in between pages.
        await new Promise((resolve) => setImmediate(resolve))
      }
      db.transaction(() => markCaughtUp(db, now().toISOString())).immediate()
      current = { ...current, state: 'idle', progress: null, lastError: null }
      return result
    } catch (error) {
      const value = toErrorValue(error)
      const state = value.code === 'unauthorized' ? 'unauthorized' : value.code === 'offline' ? 'offline' : 'error'
      current = { ...current, state, progress: null, lastError: value }
      throw error
    } finally {
      emit(true)
    }
  }

  function runRound(): Promise<RoundResult> {
    running ??= round().finally(() => {
      running = null
    })
    return running
  }

  function schedule(intervalSeconds: number): void {
    if (stopped) return
    timer = setTimeout(() => {
      runRound()
        .catch(() => undefined)
        .finally(() => schedule(intervalSeconds))
    }, intervalSeconds * 1000)
  }

  return {
    status,
    runRound,
    startSchedule(intervalSeconds) {
      runRound()
        .catch(() => undefined)
        .finally(() => schedule(intervalSeconds))
    },
    async stop() {
      stopped = true
      if (timer) clearTimeout(timer)
      timer = null
      await running?.catch(() => undefined)
    },
    onStatus(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}
