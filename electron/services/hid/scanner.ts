// The USB HID point-of-sale scanner as a stream of scans: node-hid below, pos-report.ts for the
// bytes. A register runs all day, so the device may be unplugged, replugged, or refuse to
// open (another program holds it, udev permissions); none of that may throw out of here.
//
// node-hid is imported lazily: its native binding needs libusb-1.0 and libudev on Linux, and a
// register missing them must still start (keyboard wedge and camera keep working) and show
// why the HID scanner is off instead of crashing at start-up.
import { PosReportAssembler, type PosScan } from './pos-report.ts'

/** What node-hid's `devicesAsync()` lists per HID collection (only the fields used here). */
export type HidDeviceInfo = {
  path?: string
  vendorId: number
  productId: number
  serialNumber?: string
  manufacturer?: string
  product?: string
  usagePage?: number
}

/** An open device: node-hid's HIDAsync is an EventEmitter emitting 'data' (Buffer) and 'error'. */
export type HidDeviceHandle = {
  on(event: 'data', listener: (report: Uint8Array) => void): unknown
  on(event: 'error' | 'close', listener: (error?: unknown) => void): unknown
  close(): Promise<void> | void
}

/** The part of node-hid this uses; tests pass a fake. */
export type HidLike = {
  devicesAsync(): Promise<HidDeviceInfo[]>
  open(path: string): Promise<HidDeviceHandle>
}

export type PosScannerInfo = {
  path: string
  vendorId: number
  productId: number
  product: string
  manufacturer: string
  usagePage: number | null
}

export type HidScannerState = 'disconnected' | 'connected' | 'error'

export type HidScannerOptions = {
  /** The chosen device; null takes the first one on the POS scanner usage page (0x8C). */
  path: string | null
  onScan(scan: PosScan): void
  /** A long code lost its continuation: ask for a rescan. */
  onPartial(): void
  onState(state: HidScannerState, detail?: string): void
  pollMs?: number
  hid?: HidLike
}

const POS_USAGE_PAGE = 0x8c

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/** node-hid, with its native binding loaded now so a missing library shows up as one clear error. */
export async function loadNodeHid(): Promise<HidLike> {
  try {
    const imported = await import('node-hid')
    const hid = (imported.default ?? imported) as typeof imported
    hid.getHidapiVersion() // the binding loads on first use; make that use happen here
    return {
      devicesAsync: () => hid.devicesAsync(),
      open: async (path) => (await hid.HIDAsync.open(path)) as unknown as HidDeviceHandle,
    }
  } catch (error) {
    throw new Error(`node-hid could not load: ${message(error)} (on Linux, install libusb-1.0-0 and libudev1)`, { cause: error })
  }
}

/** 0x8C first (scanners in HID POS mode), then vendor-defined pages (some scanners use one), then the rest. */
function rank(usagePage: number | undefined): number {
  if (usagePage === POS_USAGE_PAGE) return 0
  if (usagePage !== undefined && usagePage >= 0xff00) return 1
  return 2
}

export async function listPosScanners(hid?: HidLike): Promise<PosScannerInfo[]> {
  const devices = await (hid ?? (await loadNodeHid())).devicesAsync()
  const seen = new Set<string>()
  const listed: PosScannerInfo[] = []
  for (const d of [...devices].sort((a, b) => rank(a.usagePage) - rank(b.usagePage))) {
    if (!d.path || seen.has(d.path)) continue // without a path it cannot be opened
    seen.add(d.path)
    listed.push({
      path: d.path,
      vendorId: d.vendorId,
      productId: d.productId,
      product: d.product ?? '',
      manufacturer: d.manufacturer ?? '',
      usagePage: d.usagePage ?? null,
    })
  }
  return listed
}

type Identity = { vendorId: number; productId: number; serialNumber: string; usagePage: number | undefined }

/**
 * The chosen device, found again after a replug by its path or, since the path may change (a
 * new /dev/hidrawN, a new Windows instance id), by vendor, product, serial and usage page (a
 * scanner is several collections with the same ids: its keyboard one must not be taken).
 */
function findDevice(devices: HidDeviceInfo[], path: string | null, known: Identity | null): HidDeviceInfo | undefined {
  const usable = devices.filter((d) => d.path)
  const samePath = path === null ? undefined : usable.find((d) => d.path === path)
  if (samePath) return samePath
  if (known) {
    return usable.find(
      (d) =>
        d.vendorId === known.vendorId &&
        d.productId === known.productId &&
        (d.serialNumber ?? '') === known.serialNumber &&
        d.usagePage === known.usagePage,
    )
  }
  return path === null ? usable.find((d) => d.usagePage === POS_USAGE_PAGE) : undefined
}

export function createHidScanner(options: HidScannerOptions): { stop(): void } {
  const pollMs = options.pollMs ?? 1000
  const assembler = new PosReportAssembler()
  let hid: HidLike | null = options.hid ?? null
  let device: HidDeviceHandle | null = null
  let known: Identity | null = null
  let stopped = false
  let pollTimer: ReturnType<typeof setTimeout> | null = null
  let gapTimer: ReturnType<typeof setTimeout> | null = null
  let lastState = ''

  // A throwing callback is the caller's bug; it must not stop the device loop.
  const call = (f: () => void) => {
    try {
      f()
    } catch {
      /* ignored */
    }
  }
  // Polling repeats the same finding every pollMs; say it once. Another error message is news.
  const setState = (state: HidScannerState, detail?: string) => {
    const key = state === 'error' ? `${state}:${detail ?? ''}` : state
    if (stopped || key === lastState) return
    lastState = key
    call(() => options.onState(state, detail))
  }
  const deliver = (results: ReturnType<PosReportAssembler['push']>) => {
    for (const r of results) call('partial' in r ? () => options.onPartial() : () => options.onScan(r))
  }
  const closeQuietly = (d: HidDeviceHandle) => {
    try {
      Promise.resolve(d.close()).catch(() => {})
    } catch {
      /* already gone */
    }
  }
  const schedulePoll = () => {
    if (stopped || pollTimer) return
    pollTimer = setTimeout(() => {
      pollTimer = null
      void connect()
    }, pollMs)
  }
  const onReport = (report: Uint8Array) => {
    if (stopped) return
    deliver(assembler.push(new Uint8Array(report), Date.now()))
    if (gapTimer) clearTimeout(gapTimer)
    gapTimer = null
    if (assembler.pending) {
      gapTimer = setTimeout(() => {
        gapTimer = null
        const lost = assembler.expire(Date.now())
        if (lost) deliver([lost])
      }, assembler.gapMs)
    }
  }
  const lose = (handle: HidDeviceHandle, detail?: string) => {
    if (device !== handle) return // a late event from a device already given up
    device = null
    closeQuietly(handle)
    if (assembler.pending) deliver([{ partial: true }])
    assembler.reset()
    setState('disconnected', detail)
    schedulePoll()
  }

  async function connect(): Promise<void> {
    if (stopped || device) return
    try {
      hid ??= await loadNodeHid()
    } catch (error) {
      setState('error', message(error)) // no retry: a missing library needs an install and a restart
      return
    }
    let found: HidDeviceInfo | undefined
    try {
      found = findDevice(await hid.devicesAsync(), options.path, known)
    } catch (error) {
      setState('error', message(error))
      schedulePoll()
      return
    }
    if (stopped) return
    if (!found?.path) {
      setState('disconnected')
      schedulePoll()
      return
    }
    let handle: HidDeviceHandle
    try {
      handle = await hid.open(found.path)
    } catch (error) {
      setState('error', `could not open ${found.path}: ${message(error)}`)
      schedulePoll()
      return
    }
    if (stopped) {
      closeQuietly(handle)
      return
    }
    device = handle
    known = { vendorId: found.vendorId, productId: found.productId, serialNumber: found.serialNumber ?? '', usagePage: found.usagePage }
    handle.on('error', (error) => lose(handle, message(error)))
    handle.on('close', () => lose(handle))
    handle.on('data', onReport)
    setState('connected')
  }

  void connect()
  return {
    stop() {
      stopped = true
      if (pollTimer) clearTimeout(pollTimer)
      if (gapTimer) clearTimeout(gapTimer)
      pollTimer = gapTimer = null
      if (device) closeQuietly(device)
      device = null
    },
  }
}
