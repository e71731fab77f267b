// The one sync path for every connector. A round pulls pages until the cache is current (each
// page applied with its cursor in one transaction), then pushes the outbox in order. State and
// progress go to whoever listens (the window, the CLI's stderr); failures are retried with
// backoff, and 401/403 stops the schedule until the configuration changes.
import { AppError, toErrorValue } from '../../../shared/errors.ts'
import type { SyncState, SyncStatus } from '../../../shared/views.ts'
import { inTransaction, type WritableDB } from '../db/handle.ts'
import { headOfOutbox, outboxCounts, touchMember } from '../db/sales.ts'
import { readSetting, writeSetting } from '../db/settings.ts'
import { searchIndexer } from '../db/search-indexer.ts'
import { beginResync, finishResync, initSyncState, markCaughtUp, readSyncState, resetCache } from '../db/sync-state.ts'
import { settleStagedPairs } from '../suggest/cooccurrence.ts'
import { applyPage, OWED_REFETCH } from './apply.ts'
import { beginStaging, finishStaging, readStagedRowsMeanwhile, useStagingCache } from './first-sync.ts'
import type { ChangePage, Connector } from './connector.ts'
import { pushOutbox, type PushResult } from './outbox.ts'
import { pruneCache } from './retention.ts'
import { backoffMs, defaultRetryPolicy, type RetryPolicy } from './retry.ts'

export type SyncServiceOptions = {
  db: WritableDB
  connector: Connector
  /** Identifies the source the cache is built from; a change starts a fresh cache. */
  connectorKey: string
  pageSize: number
  now: () => Date
  storeId?: string
  retentionDays?: number
  retry?: RetryPolicy
}

export type RoundResult = { applied: number; skipped: number; pages: number; sent: number; parked: number; resynced: boolean }

export type IdleResult = { waiting: number; parked: number }

export type FetchOutcome = 'found' | 'not_found' | 'unreachable'

export interface SyncService {
  /** The source this register syncs with (outbox rows of other sources are never sent). */
  readonly connectorKey: string
  status(): SyncStatus
  /** One round: pull until up to date, then push what is due. Concurrent callers share the running round. */
  runRound(): Promise<RoundResult>
  /**
   * Rounds until the feed is current and nothing is waiting in the outbox, riding out faults with
   * backoff; throws on 401/403 or when `timeoutMs` passes first (with the last reason).
   */
  runUntilIdle(timeoutMs: number): Promise<IdleResult>
  /** A member scanned here but not in the cache, fetched on demand (profile-api.md 2). */
  fetchMember(memberId: string): Promise<FetchOutcome>
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

const PRUNED_AT = 'cache.prunedAt'
const PRUNE_EVERY_MS = 24 * 3600 * 1000

function stateOf(code: string): SyncState {
  return code === 'unauthorized' ? 'unauthorized' : code === 'offline' ? 'offline' : 'error'
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export function createSyncService(options: SyncServiceOptions): SyncService {
  const { db, connector, connectorKey, pageSize, now } = options
  const retry = options.retry ?? defaultRetryPolicy
  adoptSource(db, connectorKey)
  const listeners = new Set<(status: SyncStatus) => void>()
  let running: Promise<RoundResult> | null = null
  let timer: ReturnType<typeof setTimeout> | null = null
  let stopped = false
  let failures = 0
  let current: Pick<SyncStatus, 'state' | 'progress' | 'lastError'> = { state: 'idle', progress: null, lastError: null }

  // The counts cost a scan of the waiting rows; a burst of short rounds (a backlog under faults)
  // asks for the status many times a second.
  let countsCache: { at: number; value: ReturnType<typeof outboxCounts> } | null = null
  function cachedOutboxCounts(): ReturnType<typeof outboxCounts> {
    const t = Date.now()
    if (!countsCache || t - countsCache.at > 250) countsCache = { at: t, value: outboxCounts(db, connectorKey) }
    return countsCache.value
  }

  function status(): SyncStatus {
    const state = readSyncState(db)
    const outbox = current.state === 'syncing' ? cachedOutboxCounts() : (countsCache = { at: Date.now(), value: outboxCounts(db, connectorKey) }).value
    return {
      ...current,
      firstSync: !state?.fullSyncDone,
      lastSuccessAt: state?.lastSuccessAt ?? null,
      skippedChanges: state?.skippedChanges ?? 0,
      salesWaiting: outbox.waiting,
      salesFailed: outbox.parked,
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

  /** Stores a customer fetched on demand (with their events), outside the feed's cursor. */
  async function refetch(memberId: string): Promise<FetchOutcome> {
    const found = await connector.fetchCustomer(memberId)
    if (!found) return 'not_found'
    const generation = readSyncState(db)!.generation
    applyPage(db, [{ kind: 'customer', op: 'upsert', id: memberId, data: found.customer }, ...found.events.map((e) => ({ kind: 'event', op: 'upsert', id: (e as { id?: string }).id ?? '', data: e }))], null, generation)
    return 'found'
  }

  /** Fetches the members still owed their history; a failure keeps them owed for the next round. */
  async function settleOwedRefetches(): Promise<void> {
    for (const memberId of readSetting<string[]>(db, OWED_REFETCH) ?? []) {
      const outcome = await refetch(memberId).catch(() => 'unreachable' as const)
      if (outcome === 'unreachable') continue
      inTransaction(db, () => writeSetting(db, OWED_REFETCH, (readSetting<string[]>(db, OWED_REFETCH) ?? []).filter((id) => id !== memberId)))
    }
  }

  /** Pulls until caught up; a first sync's smaller page cache (first-sync.ts) ends with it. */
  async function pull(result: RoundResult, startedAt: number): Promise<void> {
    const cacheSize = db.pragma('cache_size', { simple: true }) as number
    try {
      await pullPages(result, startedAt)
    } finally {
      db.pragma(`cache_size = ${cacheSize}`)
    }
  }

  async function pullPages(result: RoundResult, startedAt: number): Promise<void> {
    if ((readSetting<string[]>(db, OWED_REFETCH) ?? []).length > 0) await settleOwedRefetches()
    const counts = { customers: 0, products: 0, events: 0 }
    // Pages are asked for as soon as their cursor is known, up to PREFETCH ahead, so the network
    // and the server keep working while pages are applied.
    const PREFETCH = 1
    type Request = { cursor: string | null; page: Promise<ChangePage>; answer?: ChangePage }
    const queue: Request[] = []
    /** Asks for the pages after the last answered one in the queue, while it has room. */
    const topUp = (): void => {
      for (let last = queue.at(-1); last?.answer?.hasMore && !stopped && queue.length < PREFETCH; last = queue.at(-1)) queue.push(ask(last.answer.cursor))
    }
    const ask = (cursor: string | null): Request => {
      const request: Request = { cursor, page: connector.pullChanges(cursor, pageSize) }
      request.page.then(
        (answer) => {
          request.answer = answer
          if (queue.includes(request)) topUp()
        },
        () => undefined,
      )
      return request
    }
    for (;;) {
      if (stopped) return
      const state = readSyncState(db)!
      if (state.cursor === null && !state.fullSyncDone && !state.staging) {
        beginStaging(db)
        state.staging = true
      }
      if (state.staging) useStagingCache(db)
      if (queue[0]?.cursor !== state.cursor) queue.splice(0, queue.length, ask(state.cursor))
      const request = queue[0]!
      let page: ChangePage
      try {
        page = await request.page
      } catch (error) {
        if (error instanceof AppError && error.code === 'cursor_expired' && state.cursor !== null) {
          inTransaction(db, () => beginResync(db))
          result.resynced = true
          continue
        }
        throw error
      }
      queue.shift()
      if (queue.length === 0 && page.hasMore && !stopped) queue.push(ask(page.cursor))
      topUp()
      const applied = applyPage(db, page.changes, page.cursor, state.generation, { staged: state.staging })
      if (state.staging && applied.events > 0) readStagedRowsMeanwhile(db)
      if (applied.consentRestored.length > 0) await settleOwedRefetches()
      result.pages++
      result.applied += page.changes.length - applied.skipped - applied.ignored
      result.skipped += applied.skipped
      counts.customers += applied.customers
      counts.products += applied.products
      counts.events += applied.events
      const total = page.progress ? page.progress.total : null
      const done = page.progress ? page.progress.done : result.applied
      const rate = result.applied / Math.max((Date.now() - startedAt) / 1000, 0.001)
      const etaSeconds = total !== null && rate > 0 ? Math.max(0, Math.round((total - done) / rate)) : null
      current = { ...current, progress: { applied: done, total, etaSeconds, finishing: false, counts: { ...counts } } }
      emit()
      if (!page.hasMore) {
        const caughtUp = (): void => {
          const state = readSyncState(db)!
          if (state.resyncing) finishResync(db, state.generation)
          settleStagedPairs(db)
          markCaughtUp(db, now().toISOString())
        }
        if (!state.staging) inTransaction(db, caughtUp)
        else {
          // Putting a first sync's events in place takes a while the rate cannot foretell.
          current = { ...current, progress: { ...current.progress!, etaSeconds: null, finishing: true } }
          await finishStaging(db, caughtUp, () => emit(true))
        }
        return
      }
      // Let the window and other callers in between pages.
      await new Promise((resolve) => setImmediate(resolve))
    }
  }

  function maybePrune(): void {
    if (!options.storeId || !options.retentionDays) return
    const last = readSetting<string>(db, PRUNED_AT)
    if (last && now().getTime() - Date.parse(last) < PRUNE_EVERY_MS) return
    pruneCache(db, { now: now(), retentionDays: options.retentionDays, storeId: options.storeId })
    writeSetting(db, PRUNED_AT, now().toISOString())
  }

  async function round(): Promise<RoundResult> {
    const startedAt = Date.now()
    const result: RoundResult = { applied: 0, skipped: 0, pages: 0, sent: 0, parked: 0, resynced: false }
    const pushed: PushResult = { sent: 0, parked: 0, blockedUntil: null }
    current = { ...current, state: 'syncing', progress: { applied: 0, total: null, etaSeconds: null, finishing: false, counts: { customers: 0, products: 0, events: 0 } } }
    emit(true)
    try {
      await pull(result, startedAt)
      if (stopped) {
        current = { ...current, state: 'idle', progress: null }
        return result
      }
      current = { ...current, progress: null }
      await pushOutbox({ db, connector, connectorKey, now, retry }, undefined, pushed)
      result.sent = pushed.sent
      result.parked = pushed.parked
      maybePrune()
      // A round ends with the customers it brought searchable (the index is fed on its own thread).
      await searchIndexer(db).idle()
      failures = 0
      current = { ...current, state: 'idle', progress: null, lastError: null }
      return result
    } catch (error) {
      // `failures` counts rounds in a row that got nothing through: a round that pulled a page or
      // sent a sale before its fault starts the count again, so faults spread over many sales
      // (each already backed off on its own row) do not pile up into minutes of backoff.
      failures = result.pages > 0 || pushed.sent > 0 || pushed.parked > 0 ? 1 : failures + 1
      const value = toErrorValue(error)
      current = { ...current, state: stateOf(value.code), progress: null, lastError: value }
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

  /** When to try again after a round: the interval, or backoff after failures. */
  function nextDelayMs(intervalSeconds: number, error: unknown): number | null {
    if (error instanceof AppError && error.code === 'unauthorized') return null
    if (error === undefined) {
      const head = readOutboxDue()
      return head === null ? intervalSeconds * 1000 : Math.min(intervalSeconds * 1000, Math.max(0, head - now().getTime()))
    }
    return backoffMs(retry, failures, error instanceof AppError ? error.retryAfterMs : null)
  }

  function readOutboxDue(): number | null {
    const head = headOfOutbox(db, connectorKey)
    if (!head) return null
    return head.nextAttemptAt ? Date.parse(head.nextAttemptAt) : now().getTime()
  }

  function tick(intervalSeconds: number): void {
    runRound().then(
      () => schedule(intervalSeconds, nextDelayMs(intervalSeconds, undefined)),
      (error: unknown) => schedule(intervalSeconds, nextDelayMs(intervalSeconds, error)),
    )
  }

  function schedule(intervalSeconds: number, delayMs: number | null): void {
    if (stopped || delayMs === null) return
    timer = setTimeout(() => tick(intervalSeconds), delayMs)
  }

  async function runUntilIdle(timeoutMs: number): Promise<IdleResult> {
    const deadline = Date.now() + timeoutMs
    let lastReason = 'no round finished'
    for (;;) {
      let wait: number
      try {
        await runRound()
        // One indexed row tells whether anything waits; the counts only once at the end.
        const due = readOutboxDue()
        if (due === null) return { waiting: 0, parked: outboxCounts(db, connectorKey).parked }
        wait = Math.max(0, due - now().getTime())
        lastReason = 'sales still waiting to be sent'
      } catch (error) {
        if (error instanceof AppError && error.code === 'unauthorized') throw error
        lastReason = toErrorValue(error).message
        wait = backoffMs(retry, failures, error instanceof AppError ? error.retryAfterMs : null)
      }
      if (Date.now() + wait > deadline) {
        throw new AppError('sync_failed', `not drained within ${Math.round(timeoutMs / 1000)} s: ${lastReason}`)
      }
      await sleep(wait)
    }
  }

  return {
    connectorKey,
    status,
    runRound,
    runUntilIdle,
    async fetchMember(memberId) {
      try {
        const outcome = await refetch(memberId)
        if (outcome === 'found') touchMember(db, memberId, 'last_scanned_at', now().toISOString())
        return outcome
      } catch {
        return 'unreachable'
      }
    },
    startSchedule(intervalSeconds) {
      stopped = false
      tick(intervalSeconds)
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
