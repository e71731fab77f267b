// The one contract between the renderer and the node side. Every call the renderer can make and
// every event the node side pushes is declared here, once. From it come the preload's exposed
// object, the main side's handlers, the renderer's typed client and the E2E harness's bridge
// (see bridge.ts and dispatch.ts); a method without a validator or a handler does not compile.
import { z } from 'zod'
import type { ErrorValue } from '../errors.ts'
import type { AppInfo, CustomerCard, CustomerHit, HidDeviceView, Locale, ScannedCode, ScannerStatus, ScanOutcome, SyncStatus } from '../views.ts'

export interface AppApi {
  app: {
    info(): AppInfo
    /** The UI language, remembered per register. */
    setLocale(locale: Locale): AppInfo
  }
  customers: {
    /** Member number, name, reading (kana), phone or email, as typed. */
    search(query: string): CustomerHit[]
    /** Fails with `not_found` when the member is not in the cache. */
    card(memberId: string): CustomerCard
  }
  scan: {
    /** Classify scanned text as the counter does and resolve it (a member comes with their card). */
    resolve(text: string): ScanOutcome
  }
  suggestions: {
    /** "Not interested": the product is not suggested to this customer for 30 days. Answers the refreshed card. */
    dismiss(memberId: string, sku: string): CustomerCard
  }
  scanners: {
    status(): ScannerStatus
    /** USB HID devices, point-of-sale scanners (usage page 0x8C) first. */
    hidDevices(): HidDeviceView[]
    /** The HID POS scanner this register reads (null: the first one found); kept in its database. */
    chooseHid(path: string | null): ScannerStatus
    /** The webcam this register reads with (null: the default); kept in its database. */
    chooseCamera(deviceId: string | null): ScannerStatus
  }
  sync: {
    status(): SyncStatus
    /** Start a sync round now (no-op when one is running); answers the status at once. */
    now(): SyncStatus
  }
}

export interface AppEvents {
  'sync.status': SyncStatus
  /** A scanner the node side reads (HID POS, or the wedge in Electron's main process) read a code. */
  'scan.code': ScannedCode
}

type Method = (...args: never[]) => unknown
type Groups = { [G in keyof AppApi]: { [M in keyof AppApi[G]]: Method } }

/** The renderer is untrusted input: every argument list is validated on the node side. */
export const apiInputs = {
  app: {
    info: z.tuple([]),
    setLocale: z.tuple([z.enum(['ja', 'en'])]),
  },
  customers: {
    search: z.tuple([z.string().max(200)]),
    card: z.tuple([z.string().min(1).max(64)]),
  },
  scan: {
    resolve: z.tuple([z.string().max(4096)]),
  },
  suggestions: {
    dismiss: z.tuple([z.string().min(1).max(64), z.string().min(1).max(64)]),
  },
  scanners: {
    status: z.tuple([]),
    hidDevices: z.tuple([]),
    chooseHid: z.tuple([z.string().min(1).max(1024).nullable()]),
    chooseCamera: z.tuple([z.string().min(1).max(1024).nullable()]),
  },
  sync: {
    status: z.tuple([]),
    now: z.tuple([]),
  },
} satisfies { [G in keyof AppApi]: { [M in keyof AppApi[G]]: z.ZodType<Parameters<Extract<AppApi[G][M], Method>>> } }

/** Every event name, so the preload and the harness can subscribe without listing them twice. */
export const appEventNames = Object.keys({ 'sync.status': true, 'scan.code': true } satisfies Record<keyof AppEvents, true>) as (keyof AppEvents)[]

export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ErrorValue }

type Fn<T> = Extract<T, Method>

/** What the node side implements: each method may answer directly or with a promise. */
export type ApiImpl = {
  [G in keyof AppApi]: {
    [M in keyof AppApi[G]]: (...args: Parameters<Fn<AppApi[G][M]>>) => ReturnType<Fn<AppApi[G][M]>> | Promise<ReturnType<Fn<AppApi[G][M]>>>
  }
}

/** What the preload exposes as `window.musubi.api`: results as values, never thrown. */
export type ExposedApi = {
  [G in keyof AppApi]: {
    [M in keyof AppApi[G]]: (...args: Parameters<Fn<AppApi[G][M]>>) => Promise<ApiResult<ReturnType<Fn<AppApi[G][M]>>>>
  }
}

/** What the renderer calls: promises that reject with ApiError. */
export type Bridged<T extends Groups> = {
  [G in keyof T]: { [M in keyof T[G]]: (...args: Parameters<Fn<T[G][M]>>) => Promise<ReturnType<Fn<T[G][M]>>> }
}

export type Unsubscribe = () => void

/** `window.musubi`, as the preload (or the test harness) installs it. */
export interface MusubiWindowApi {
  api: ExposedApi
  on<E extends keyof AppEvents>(event: E, listener: (payload: AppEvents[E]) => void): Unsubscribe
}

export const API_CHANNEL_PREFIX = 'app:'
export const EVENT_CHANNEL = 'app:event'

export function channelOf(group: string, method: string): string {
  return `${API_CHANNEL_PREFIX}${group}.${method}`
}

/** Every [group, method, channel] of the contract, from the runtime list. */
export function apiMethods(): Array<{ group: keyof AppApi; method: string; channel: string }> {
  const out: Array<{ group: keyof AppApi; method: string; channel: string }> = []
  for (const group of Object.keys(apiInputs) as (keyof AppApi)[]) {
    for (const method of Object.keys(apiInputs[group])) out.push({ group, method, channel: channelOf(group, method) })
  }
  return out
}
