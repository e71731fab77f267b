// The one contract between the renderer and the node side. Every call the renderer can make and
// every event the node side pushes is declared here, once. From it come the preload's exposed
// object, the main side's handlers, the renderer's typed client and the E2E harness's bridge
// (see bridge.ts and dispatch.ts); a method without a validator or a handler does not compile.
import { z } from 'zod'
import type { ErrorValue } from '../errors.ts'
import { isLocalDate } from '../time/zone.ts'
import type { AppInfo, AuditEntryView, CustomerCard, DailyStatsView, CustomerHit, FinishedSale, HidDeviceView, Locale, ParkedSaleView, ProductHit, RecentSaleView, SaleDraftView, ScannedCode, ScannerStatus, ScanOutcome, SessionView, StaffRole, StaffView, SyncStatus } from '../views.ts'

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
  staff: {
    session(): SessionView
    /** First run only (no staff yet): the first manager, then signed in. */
    setup(staffId: string, name: string, pin: string): SessionView
    /** Fails with `wrong_pin` or `pin_locked` (five wrong PINs lock the id for a minute). */
    signIn(staffId: string, pin: string): SessionView
    lock(): SessionView
    /** The associate touched the screen: the idle lock starts counting again. */
    activity(): void
    /** A manager signs in over the associate for manager-only actions. */
    override(staffId: string, pin: string): SessionView
    endOverride(): SessionView
    /** Manager only. */
    list(): StaffView[]
    add(staffId: string, name: string, role: StaffRole, pin: string): StaffView[]
    resetPin(staffId: string, pin: string): StaffView[]
  }
  products: {
    /** Barcode, sku or part of the name. */
    search(query: string): ProductHit[]
  }
  sales: {
    /** The sale being rung up (kept across restarts). */
    draft(): SaleDraftView
    addItem(sku: string, qty: number): SaleDraftView
    /** 0 removes the line. */
    setQty(sku: string, qty: number): SaleDraftView
    setMember(memberId: string | null): SaleDraftView
    /** A coupon scanned or offered by the card; listed with why not when it does not apply. */
    addCoupon(code: string): SaleDraftView
    removeCoupon(code: string): SaleDraftView
    setReceipt(text: string | null): SaleDraftView
    /** Records the sale and starts an empty one; fails with `sale_refused` when there is nothing to sell. */
    finish(): FinishedSale
    void(): SaleDraftView
    /** Sales finished here in the last 30 minutes (anonymous ones can still be attached to a member). */
    recent(): RecentSaleView[]
    /** Late identification: the member who showed their code after an anonymous sale. */
    attachMember(saleId: string, memberId: string): RecentSaleView[]
    /** Manager only: sales the profile service refused. */
    parked(): ParkedSaleView[]
    retry(saleId: string): ParkedSaleView[]
    discard(saleId: string, reason: string): ParkedSaleView[]
    /** JSON of the parked sales with their stored bodies. */
    exportParked(): string
  }
  audit: {
    /** Manager only; newest first, `before` pages back by sequence number. */
    list(limit: number, before: number | null): AuditEntryView[]
    exportCsv(): string
  }
  stats: {
    /** Manager only: the day's clienteling figures at this register (null: today in the store's time zone). */
    daily(date: string | null): DailyStatsView
    /** The day's sales, one row each (CSV). */
    exportCsv(date: string | null): string
  }
}

export interface AppEvents {
  'sync.status': SyncStatus
  /** A scanner the node side reads (HID POS, or the wedge in Electron's main process) read a code. */
  'scan.code': ScannedCode
}

type Method = (...args: never[]) => unknown
type Groups = { [G in keyof AppApi]: { [M in keyof AppApi[G]]: Method } }

const staffId = z.string().trim().min(1).max(32).regex(/^[A-Za-z0-9_-]+$/)
const pin = z.string().regex(/^[0-9]{4,8}$/)
const sku = z.string().min(1).max(64)
const localDate = z.string().refine(isLocalDate, 'not a date (YYYY-MM-DD)')

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
  staff: {
    session: z.tuple([]),
    setup: z.tuple([staffId, z.string().trim().min(1).max(60), pin]),
    signIn: z.tuple([staffId, pin]),
    lock: z.tuple([]),
    activity: z.tuple([]),
    override: z.tuple([staffId, pin]),
    endOverride: z.tuple([]),
    list: z.tuple([]),
    add: z.tuple([staffId, z.string().trim().min(1).max(60), z.enum(['associate', 'manager']), pin]),
    resetPin: z.tuple([staffId, pin]),
  },
  products: {
    search: z.tuple([z.string().max(200)]),
  },
  sales: {
    draft: z.tuple([]),
    addItem: z.tuple([sku, z.number().int().min(1).max(999)]),
    setQty: z.tuple([sku, z.number().int().min(0).max(999)]),
    setMember: z.tuple([z.string().min(1).max(64).nullable()]),
    addCoupon: z.tuple([z.string().min(1).max(64)]),
    removeCoupon: z.tuple([z.string().min(1).max(64)]),
    setReceipt: z.tuple([z.string().max(64).nullable()]),
    finish: z.tuple([]),
    void: z.tuple([]),
    recent: z.tuple([]),
    attachMember: z.tuple([z.uuid(), z.string().min(1).max(64)]),
    parked: z.tuple([]),
    retry: z.tuple([z.uuid()]),
    discard: z.tuple([z.uuid(), z.string().trim().min(3).max(500)]),
    exportParked: z.tuple([]),
  },
  audit: {
    list: z.tuple([z.number().int().min(1).max(1000), z.number().int().min(0).nullable()]),
    exportCsv: z.tuple([]),
  },
  stats: {
    daily: z.tuple([localDate.nullable()]),
    exportCsv: z.tuple([localDate.nullable()]),
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
