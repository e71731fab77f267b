// `musubi doctor`: what IT checks first when a register misbehaves. Every check runs even when
// an earlier one failed, and says what to do.
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { existsSync } from 'node:fs'
import { toErrorValue } from '../../shared/errors.ts'
import { loadConfig, type LoadedConfig } from '../services/config/config.ts'
import { resolveDataDir } from '../services/config/paths.ts'
import { latestSchemaVersion } from '../services/db/migrations/index.ts'
import { compareVersions, MIN_SQLITE_VERSION } from '../services/db/open.ts'
import type { ReadableDB } from '../services/db/handle.ts'
import { searchFileFor, searchInstance, searchWatermark } from '../services/db/search-index.ts'
import { DATABASE_FILE } from '../services/musubi.ts'
import { createConnector } from '../services/sync/connectors.ts'
import { STALE_AFTER_MINUTES } from '../services/customers/card.ts'
import type { CliIo, CommonOptions } from './main.ts'

export const MAX_CLOCK_SKEW_SECONDS = 60

export type Check = { name: string; status: 'ok' | 'warn' | 'fail'; detail: string }

/** The customer search index beside the database (db/search-index.ts): derived, so never a failure. */
function searchIndexCheck(db: Database.Database, file: string): Check {
  if (!existsSync(file)) return { name: 'search', status: 'warn', detail: `${file} does not exist: it is built from the cached customers at the next start` }
  let search: Database.Database | null = null
  try {
    search = new Database(file, { readonly: true, fileMustExist: true })
    const index = search as ReadableDB
    const instance = (db.prepare('SELECT instance FROM search_state WHERE id = 1').get() as { instance: string } | undefined)?.instance
    if (instance === undefined || searchInstance(index) !== instance) return { name: 'search', status: 'warn', detail: `${file} belongs to another database: it is built again at the next start` }
    const waiting = db.prepare('SELECT count(*) AS n FROM search_queue WHERE seq > ?').get(searchWatermark(index)) as { n: number }
    return { name: 'search', status: 'ok', detail: `${file}: ${waiting.n} customer changes waiting to be indexed` }
  } catch (error) {
    return { name: 'search', status: 'warn', detail: `${file}: ${toErrorValue(error).message}; it is built again at the next start` }
  } finally {
    search?.close()
  }
}

export async function doctorChecks(options: CommonOptions, env: Record<string, string | undefined>, now = new Date()): Promise<Check[]> {
  const checks: Check[] = []
  let loaded: LoadedConfig | null = null
  try {
    loaded = loadConfig({ configPath: options.configPath, env })
    checks.push({ name: 'config', status: 'ok', detail: loaded.source ? `${loaded.source} (store ${loaded.config.storeId}, register ${loaded.config.deviceId})` : 'no config file: running the DEMO retailer' })
    for (const warning of loaded.warnings) checks.push({ name: 'config', status: 'warn', detail: warning })
  } catch (error) {
    checks.push({ name: 'config', status: 'fail', detail: toErrorValue(error).message })
  }

  const dataDir = resolveDataDir(options.dataDir, env)
  const file = join(dataDir, DATABASE_FILE)
  if (!existsSync(file)) {
    checks.push({ name: 'database', status: 'warn', detail: `${file} does not exist yet: run \`musubi sync\` (or start the app) to create it` })
  } else {
    let db: Database.Database | null = null
    try {
      db = new Database(file, { readonly: true, fileMustExist: true })
      const version = (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v
      checks.push({ name: 'sqlite', status: compareVersions(version, MIN_SQLITE_VERSION) >= 0 ? 'ok' : 'fail', detail: `SQLite ${version} (needs ${MIN_SQLITE_VERSION} or newer)` })
      const schema = db.pragma('user_version', { simple: true }) as number
      checks.push({
        name: 'database',
        status: schema === latestSchemaVersion ? 'ok' : schema > latestSchemaVersion ? 'fail' : 'warn',
        detail: `${file}: schema ${schema}` + (schema > latestSchemaVersion ? `, newer than this Musubi (${latestSchemaVersion})` : schema < latestSchemaVersion ? `, will be migrated to ${latestSchemaVersion} at start` : ''),
      })
      const journal = db.pragma('journal_mode', { simple: true }) as string
      checks.push({ name: 'pragmas', status: journal === 'wal' ? 'ok' : 'fail', detail: `journal_mode=${journal} (synchronous=FULL and foreign_keys=ON are set by every connection that writes)` })
      const integrity = db.pragma('quick_check', { simple: true }) as string
      checks.push({ name: 'integrity', status: integrity === 'ok' ? 'ok' : 'fail', detail: `quick_check: ${integrity}` })
      if (schema >= 10) {
        const counts = db.prepare('SELECT (SELECT count(*) FROM customers) AS customers, (SELECT count(*) FROM products) AS products, (SELECT count(*) FROM events) AS events').get() as Record<string, number>
        const state = db.prepare('SELECT connector_key, last_success_at, skipped_changes, full_sync_done FROM sync_state').get() as
          | { connector_key: string; last_success_at: string | null; skipped_changes: number; full_sync_done: number }
          | undefined
        checks.push({ name: 'cache', status: counts['customers']! > 0 ? 'ok' : 'warn', detail: `${counts['customers']} customers, ${counts['products']} products, ${counts['events']} events` })
        if (!state || !state.last_success_at) checks.push({ name: 'sync', status: 'warn', detail: 'no sync has completed yet' })
        else {
          const ageMinutes = Math.round((now.getTime() - Date.parse(state.last_success_at)) / 60_000)
          checks.push({ name: 'sync', status: ageMinutes > STALE_AFTER_MINUTES ? 'warn' : 'ok', detail: `last complete sync ${state.last_success_at} (${ageMinutes} min ago), source ${state.connector_key}` })
        }
        if (state && state.skipped_changes > 0) checks.push({ name: 'sync', status: 'warn', detail: `${state.skipped_changes} malformed changes were skipped by the feed` })
        if (schema >= 120) checks.push(searchIndexCheck(db, searchFileFor(file)))
      }
    } catch (error) {
      checks.push({ name: 'database', status: 'fail', detail: `${file}: ${toErrorValue(error).message}` })
    } finally {
      db?.close()
    }
  }

  if (loaded) {
    try {
      const connector = createConnector(loaded.config, () => now)
      if (connector.kind === 'demo') checks.push({ name: 'connector', status: 'ok', detail: 'demo (generated retailer, no server)' })
      else {
        try {
          const serverTime = await connector.serverTime?.()
          checks.push({ name: 'connector', status: 'ok', detail: `${connector.kind}: the profile service answers` })
          if (serverTime) {
            // Token expiry, coupon dates and "today" all depend on the register's clock.
            const skewSeconds = Math.round((now.getTime() - serverTime.getTime()) / 1000)
            checks.push({
              name: 'clock',
              status: Math.abs(skewSeconds) > MAX_CLOCK_SKEW_SECONDS ? 'warn' : 'ok',
              detail: `the register's clock is ${Math.abs(skewSeconds)} s ${skewSeconds >= 0 ? 'ahead of' : 'behind'} the profile service` + (Math.abs(skewSeconds) > MAX_CLOCK_SKEW_SECONDS ? ': set the time (NTP)' : ''),
            })
          }
        } catch (error) {
          const { code, message } = toErrorValue(error)
          if (code === 'unauthorized') checks.push({ name: 'connector', status: 'fail', detail: message })
          else checks.push({ name: 'connector', status: 'warn', detail: `cannot reach the profile service (the register works offline meanwhile): ${message}` })
        } finally {
          await (connector as { close?: () => Promise<void> }).close?.()
        }
      }
    } catch (error) {
      checks.push({ name: 'connector', status: 'fail', detail: toErrorValue(error).message })
    }
    const local = new Intl.DateTimeFormat('ja-JP', { timeZone: loaded.config.timeZone, dateStyle: 'medium', timeStyle: 'medium' }).format(now)
    checks.push({ name: 'clock', status: 'ok', detail: `${now.toISOString()} (${local} ${loaded.config.timeZone})` })
  }
  return checks
}

export async function runDoctor(options: CommonOptions, io: CliIo): Promise<number> {
  const checks = await doctorChecks(options, io.env)
  if (options.json) io.stdout.write(JSON.stringify({ checks }, null, 2) + '\n')
  else {
    const mark = { ok: 'ok  ', warn: 'WARN', fail: 'FAIL' } as const
    for (const check of checks) io.stdout.write(`${mark[check.status]}  ${check.name.padEnd(10)} ${check.detail}\n`)
  }
  return checks.some((c) => c.status === 'fail') ? 1 : 0
}
