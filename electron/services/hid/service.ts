// The register's HID POS scanner: which device (a per-register choice, kept in the database),
// its state, and its scans handed to whoever listens (the window).
import type { WritableDB } from '../db/handle.ts'
import { readSetting, writeSetting } from '../db/settings.ts'
import { createHidScanner, listPosScanners, loadNodeHid, type HidLike, type HidScannerState, type PosScannerInfo } from './scanner.ts'

const CHOSEN_DEVICE = 'scanner.hidPath'

export type HidStatus = { state: HidScannerState | 'off'; detail: string | null; chosenPath: string | null }

export interface HidService {
  start(): void
  stop(): void
  devices(): Promise<PosScannerInfo[]>
  choose(path: string | null): HidStatus
  status(): HidStatus
}

export function createHidService(options: {
  db: WritableDB
  onScan(scan: { text: string; symbology: string | null }): void
  onPartial(): void
  hid?: () => Promise<HidLike>
}): HidService {
  const loadHid = options.hid ?? loadNodeHid
  let scanner: { stop(): void } | null = null
  let state: HidStatus['state'] = 'off'
  let detail: string | null = null

  function chosen(): string | null {
    return readSetting<string | null>(options.db, CHOSEN_DEVICE)
  }

  function start(): void {
    scanner?.stop()
    state = 'disconnected'
    scanner = createHidScanner({
      path: chosen(),
      onScan: options.onScan,
      onPartial: options.onPartial,
      onState(next, why) {
        state = next
        detail = why ?? null
      },
    })
  }

  return {
    start,
    stop() {
      scanner?.stop()
      scanner = null
      state = 'off'
    },
    async devices() {
      try {
        return await listPosScanners(await loadHid())
      } catch (error) {
        detail = (error as Error).message
        return []
      }
    },
    choose(path) {
      writeSetting(options.db, CHOSEN_DEVICE, path)
      if (scanner) start()
      return { state, detail, chosenPath: path }
    },
    status: () => ({ state, detail, chosenPath: chosen() }),
  }
}
