// The contract's implementation over the services. electron/main registers it on ipcMain; the
// E2E harness exposes it to a plain Chromium page; the CLI calls it directly.
import type { ApiImpl } from '../../shared/ipc/contract.ts'
import { AppError } from '../../shared/errors.ts'
import type { AppInfo, Locale, ScanOutcome } from '../../shared/views.ts'
import { onHand, storeName } from './db/catalog.ts'
import { searchCustomers } from './db/customers.ts'
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
const CAMERA_SETTING = 'scanner.cameraDeviceId'

export function createApi(context: ApiContext): ApiImpl {
  const { db, config, sync, now } = context
  const cardContext = { db, storeId: config.storeId, now, offline: () => ['offline', 'error', 'unauthorized'].includes(sync.status().state) }
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

  async function resolveScan(text: string): Promise<ScanOutcome> {
    const found = await classifyScan(classifyContext, text)
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
        return { kind: 'staff', staffId: found.staffId }
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
    app: {
      info,
      setLocale(locale) {
        writeSetting(db, LOCALE_SETTING, locale)
        return info()
      },
    },
    customers: {
      search: (query) => searchCustomers(db, query).map(customerHit),
      card(memberId) {
        const card = customerCard(cardContext, memberId)
        if (!card) throw new AppError('not_found', `member ${memberId} is not in the cache`)
        return card
      },
    },
    scan: { resolve: resolveScan },
    suggestions: {
      dismiss(memberId, sku) {
        dismissSuggestion(db, memberId, sku, now())
        const card = customerCard(cardContext, memberId)
        if (!card) throw new AppError('not_found', `member ${memberId} is not in the cache`)
        return card
      },
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
  }
}
