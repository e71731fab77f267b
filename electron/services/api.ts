// The contract's implementation over the services. electron/main registers it on ipcMain; the
// E2E harness exposes it to a plain Chromium page; the CLI calls it directly.
import type { ApiImpl } from '../../shared/ipc/contract.ts'
import { AppError } from '../../shared/errors.ts'
import type { AppInfo, CustomerCard, Locale, ScanOutcome } from '../../shared/views.ts'
import { onHand, storeName } from './db/catalog.ts'
import { searchCustomers } from './db/customers.ts'
import { searchIndexer } from './db/search-indexer.ts'
import type { WritableDB } from './db/handle.ts'
import { touchMember } from './db/sales.ts'
import { readSetting, writeSetting } from './db/settings.ts'
import type { RegisterConfig } from './config/config.ts'
import type { JSONWebKeySet } from 'jose'
import { createAppQrVerifier } from './codes/app-qr.ts'
import { classifyScan, wholeTextPattern } from './codes/classify.ts'
import { customerCard, customerHit } from './customers/card.ts'
import { dismissSuggestion } from './suggest/dismissals.ts'
import type { HidService } from './hid/service.ts'
import type { SyncService } from './sync/sync-service.ts'
import { searchProducts } from './db/catalog.ts'
import { createSaleDesk } from './sales/draft.ts'
import { attachMember, discardParked, exportParked, parkedSales, recentSales, retryParked } from './sales/after-sale.ts'
import { audit, auditCsv, auditEntries } from './staff/audit.ts'
import { createStaffSession, type SignedIn } from './staff/session.ts'
import { addStaff, findStaff, listStaff, resetPin } from './staff/staff.ts'
import { inTransaction } from './db/handle.ts'
import { dailySalesCsv, dailyStats } from './stats/daily.ts'
import { localDate } from '../../shared/time/zone.ts'

export type ApiContext = {
  db: WritableDB
  config: RegisterConfig
  connectorKey: string
  configWarnings: string[]
  sync: SyncService
  now: () => Date
  version: string
  wedgeIn: 'main' | 'renderer'
  hid: HidService
}

const LOCALE_SETTING = 'ui.locale'
/** Opening the same customer's card again within this time is not logged again (a refresh, a second scan). */
const CARD_AUDIT_QUIET_MS = 10 * 60_000
/** Sales are in the retailer's currency; the profile's prices are yen (profile-api.md). */
const CURRENCY = 'JPY'
const CAMERA_SETTING = 'scanner.cameraDeviceId'
/** How long a search waits for the index to take in customers just stored (db/search-indexer.ts). */
const SEARCH_SETTLE_MS = 250

/** The contract, plus what IT's tools use without a signed-in associate (`musubi lookup`). */
export type ApiWithTools = ApiImpl & {
  lookup(text: string): Promise<ScanOutcome>
  /** Writes what scans left for after their answer (before the database closes). */
  flush(): void
}

export function createApi(context: ApiContext): ApiWithTools {
  const { db, config, sync, now } = context
  const offline = () => ['offline', 'error', 'unauthorized'].includes(sync.status().state)
  const cardContext = { db, storeId: config.storeId, now, offline }
  const session = createStaffSession({ db, deviceId: config.deviceId, lockAfterMinutes: config.staff.lockAfterMinutes, now })
  const desk = createSaleDesk({ db, storeId: config.storeId, deviceId: config.deviceId, connectorKey: context.connectorKey, currency: CURRENCY, now, offline })
  const afterSale = { db, deviceId: config.deviceId, connectorKey: context.connectorKey, now }
  const cardsOpened = new Map<string, { staffId: string; at: number }>()
  const statsContext = { db, timeZone: config.timeZone, connectorKey: context.connectorKey }

  /** Counter calls need someone signed in; the idle clock restarts with each. */
  function signedIn<A extends unknown[], R>(fn: (staff: SignedIn, ...args: A) => R): (...args: A) => R {
    return (...args) => {
      flushLater()
      return fn(session.requireStaff(), ...args)
    }
  }
  function managerOnly<A extends unknown[], R>(fn: (manager: SignedIn, ...args: A) => R): (...args: A) => R {
    return (...args) => {
      flushLater()
      return fn(session.requireManager(), ...args)
    }
  }

  /**
   * The card as shown to the associate: logged (who opened whom), and its suggestions become the
   * sale's. Written after the answer: the scan waits for no disk write (each commit is an fsync).
   */
  function shownCard(staff: SignedIn, card: CustomerCard): CustomerCard {
    const memberId = card.customer.memberId
    const last = cardsOpened.get(memberId)
    const at = now()
    const logIt = !last || last.staffId !== staff.staffId || at.getTime() - last.at > CARD_AUDIT_QUIET_MS
    cardsOpened.set(memberId, { staffId: staff.staffId, at: at.getTime() })
    const skus = card.suggestions.suggestions.map((s) => s.sku)
    later.push(() => {
      if (logIt) audit(db, { at, deviceId: config.deviceId, staffId: staff.staffId, action: 'card_opened', subject: memberId })
      desk.noteShown(memberId, skus)
    })
    if (later.length === 1) setImmediate(flushLater)
    return card
  }

  /** Writes the scans left for after their answer; every call that reads them runs this first. */
  const later: Array<() => void> = []
  function flushLater(): void {
    if (!db.open || later.length === 0) return
    // One transaction, one fsync, however many scans wait.
    const writes = later.splice(0)
    inTransaction(db, () => {
      for (const write of writes) write()
    })
  }

  const memberPattern = wholeTextPattern(config.memberCodes.pattern)
  const classifyContext = {
    db,
    memberPattern,
    staffPattern: wholeTextPattern(config.staff.badgePattern),
    verifyAppQr: createAppQrVerifier(config.memberCodes.jwks as JSONWebKeySet | undefined, memberPattern),
    now,
  }

  function info(): AppInfo {
    return {
      version: context.version,
      storeId: config.storeId,
      storeName: storeName(db, config.storeId),
      deviceId: config.deviceId,
      connectorKind: config.connector.kind,
      demo: config.connector.kind === 'demo',
      locale: readSetting<Locale>(db, LOCALE_SETTING) ?? config.locale,
      timeZone: config.timeZone,
      configWarnings: context.configWarnings,
      scanner: { ...config.scanner, wedgeIn: context.wedgeIn },
    }
  }

  /** At the counter: a locked register reads staff badges only (to sign in); the rest waits for a sign-in. */
  async function resolveAtCounter(text: string): Promise<ScanOutcome> {
    const found = await classifyScan(classifyContext, text)
    if (found.kind === 'staff') return { kind: 'staff', staffId: found.staffId, known: findStaff(db, found.staffId) !== null }
    let staff: SignedIn
    try {
      staff = session.requireStaff()
    } catch {
      return { kind: 'sign_in_required' }
    }
    const outcome = await resolveFound(found)
    return outcome.kind === 'member' ? { ...outcome, card: shownCard(staff, outcome.card) } : outcome
  }

  /** What a scanned text is, with the card of a member (fetched on demand when not cached). */
  async function resolveFound(found: Awaited<ReturnType<typeof classifyScan>>): Promise<ScanOutcome> {
    switch (found.kind) {
      case 'member': {
        let card = customerCard(cardContext, found.memberId)
        if (!card) {
          // Not in the cache: ask the profile service (the counter waits at most 1.5 s).
          const fetched = await sync.fetchMember(found.memberId)
          if (fetched !== 'found') return { kind: 'member_unknown', memberId: found.memberId, reason: fetched }
          card = customerCard(cardContext, found.memberId)
          if (!card) return { kind: 'member_unknown', memberId: found.memberId, reason: 'not_found' }
        } else {
          // Remembered for cache retention, after the answer: the scan waits for no disk write.
          const at = now().toISOString()
          setImmediate(() => db.open && touchMember(db, found.memberId, 'last_scanned_at', at))
        }
        return { kind: 'member', memberId: found.memberId, via: found.via, card }
      }
      case 'member_refused':
        return { kind: 'member_refused', memberId: found.memberId, reason: found.reason }
      case 'staff':
        return { kind: 'staff', staffId: found.staffId, known: findStaff(db, found.staffId) !== null }
      case 'partial':
        return { kind: 'partial', reason: found.reason }
      case 'coupon':
        return { kind: 'coupon', code: found.coupon.code, title: found.coupon.title }
      case 'product':
        return {
          kind: 'product',
          code: found.code,
          sku: found.product?.sku ?? null,
          name: found.product?.name ?? null,
          priceYen: found.product?.price ?? null,
          onHandHere: found.product ? onHand(db, config.storeId, found.product.sku) : null,
        }
      case 'unknown':
        return { kind: 'unknown', text: found.text }
    }
  }

  return {
    lookup: async (text) => resolveFound(await classifyScan(classifyContext, text)),
    flush: flushLater,
    app: {
      info,
      setLocale(locale) {
        writeSetting(db, LOCALE_SETTING, locale)
        return info()
      },
    },
    customers: {
      search: signedIn(async (_staff, query) => {
        await searchIndexer(db).settled(SEARCH_SETTLE_MS)
        return searchCustomers(db, query).map(customerHit)
      }),
      card: signedIn((staff, memberId) => {
        const card = customerCard(cardContext, memberId)
        if (!card) throw new AppError('not_found', `member ${memberId} is not in the cache`)
        return shownCard(staff, card)
      }),
    },
    scan: { resolve: resolveAtCounter },
    suggestions: {
      dismiss: signedIn((staff, memberId, sku) => {
        dismissSuggestion(db, memberId, sku, now())
        const card = customerCard(cardContext, memberId)
        if (!card) throw new AppError('not_found', `member ${memberId} is not in the cache`)
        return shownCard(staff, card)
      }),
    },
    scanners: {
      status: () => ({ cameraDeviceId: readSetting<string>(db, CAMERA_SETTING), hid: context.hid.status() }),
      async hidDevices() {
        return (await context.hid.devices()).map((d) => ({
          path: d.path,
          product: d.product,
          manufacturer: d.manufacturer,
          vendorId: d.vendorId,
          productId: d.productId,
          posUsagePage: d.usagePage === 0x8c,
        }))
      },
      chooseHid: (path) => ({ cameraDeviceId: readSetting<string>(db, CAMERA_SETTING), hid: context.hid.choose(path) }),
      chooseCamera(deviceId) {
        writeSetting(db, CAMERA_SETTING, deviceId)
        return { cameraDeviceId: deviceId, hid: context.hid.status() }
      },
    },
    sync: {
      status: () => sync.status(),
      now() {
        sync.runRound().catch(() => undefined)
        return sync.status()
      },
    },
    staff: {
      session: () => session.view(),
      setup: (staffId, name, pin) => session.setupFirstManager(staffId, name, pin),
      signIn: (staffId, pin) => session.signIn(staffId, pin),
      lock: () => session.lock('manual'),
      activity: () => session.activity(),
      override: (staffId, pin) => session.override(staffId, pin),
      endOverride: () => session.endOverride(),
      list: managerOnly(() => listStaff(db)),
      add: managerOnly((manager, staffId, name, role, pin) => {
        inTransaction(db, () => {
          addStaff(db, { staffId, name, role, pin }, manager.staffId, now())
          audit(db, { at: now(), deviceId: config.deviceId, staffId: manager.staffId, action: 'staff_added', subject: staffId, detail: { role } })
        })
        return listStaff(db)
      }),
      resetPin: managerOnly((manager, staffId, pin) => {
        inTransaction(db, () => {
          resetPin(db, staffId, pin)
          audit(db, { at: now(), deviceId: config.deviceId, staffId: manager.staffId, action: 'pin_reset', subject: staffId })
        })
        return listStaff(db)
      }),
    },
    products: {
      search: signedIn((_staff, query) =>
        searchProducts(db, config.storeId, query).map((r) => ({ sku: r.sku, name: r.name, priceYen: r.price_yen, onHandHere: r.on_hand, barcode: r.barcode })),
      ),
    },
    sales: {
      draft: signedIn(() => desk.view()),
      addItem: signedIn((_staff, sku, qty) => desk.addItem(sku, qty)),
      setQty: signedIn((_staff, sku, qty) => desk.setQty(sku, qty)),
      setMember: signedIn((_staff, memberId) => desk.setMember(memberId)),
      addCoupon: signedIn((_staff, code) => desk.addCoupon(code)),
      removeCoupon: signedIn((_staff, code) => desk.removeCoupon(code)),
      setReceipt: signedIn((_staff, text) => desk.setReceipt(text)),
      finish: signedIn((staff) => {
        const finished = desk.finish(staff)
        // Sent at once when the network is there; the outbox keeps it otherwise.
        sync.runRound().catch(() => undefined)
        return finished
      }),
      void: signedIn((staff) => desk.void(staff)),
      recent: signedIn(() => recentSales(afterSale)),
      attachMember: signedIn((staff, saleId, memberId) => {
        attachMember(afterSale, saleId, memberId, staff)
        sync.runRound().catch(() => undefined)
        return recentSales(afterSale)
      }),
      parked: managerOnly(() => parkedSales(db)),
      retry: managerOnly((manager, saleId) => {
        retryParked(afterSale, saleId, manager)
        sync.runRound().catch(() => undefined)
        return parkedSales(db)
      }),
      discard: managerOnly((manager, saleId, reason) => {
        discardParked(afterSale, saleId, reason, manager)
        // A round announces the new counts (the top bar's "failed" badge).
        sync.runRound().catch(() => undefined)
        return parkedSales(db)
      }),
      exportParked: managerOnly((manager) => exportParked(afterSale, manager)),
    },
    audit: {
      list: managerOnly((_manager, limit, before) => auditEntries(db, limit, before)),
      exportCsv: managerOnly((manager) => {
        audit(db, { at: now(), deviceId: config.deviceId, staffId: manager.staffId, action: 'audit_exported' })
        return auditCsv(db)
      }),
    },
    stats: {
      daily: managerOnly((_manager, date) => dailyStats(statsContext, date ?? localDate(now().getTime(), config.timeZone))),
      exportCsv: managerOnly((manager, date) => {
        const day = date ?? localDate(now().getTime(), config.timeZone)
        audit(db, { at: now(), deviceId: config.deviceId, staffId: manager.staffId, action: 'stats_exported', subject: day })
        return dailySalesCsv(statsContext, day)
      }),
    },
  }
}
