import { EventEmitter } from 'node:events'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { PosScan } from '../../electron/services/hid/pos-report.ts'
import {
  createHidScanner,
  listPosScanners,
  type HidDeviceInfo,
  type HidLike,
  type HidScannerState,
} from '../../electron/services/hid/scanner.ts'

class FakeDevice extends EventEmitter {
  closed = false
  readonly path: string
  constructor(path: string) {
    super()
    this.path = path
  }
  async close(): Promise<void> {
    this.closed = true
    this.removeAllListeners()
  }
  /** One report as node-hid gives it: a Buffer with the report id first. */
  send(body: number[]): void {
    const report = Buffer.alloc(64)
    report[0] = 0x02
    Buffer.from(body).copy(report, 1)
    this.emit('data', report)
  }
  scan(aim: string, text: string, more = false): void {
    const data = [...Buffer.from(text)]
    const body = [data.length, ...Buffer.from(aim), ...data]
    body[62] = more ? 1 : 0
    this.send(Array.from(body, (b) => b ?? 0))
  }
}

class FakeHid implements HidLike {
  devices: HidDeviceInfo[] = []
  opened: FakeDevice[] = []
  failOpen = new Set<string>()
  listCalls = 0
  async devicesAsync(): Promise<HidDeviceInfo[]> {
    this.listCalls++
    return this.devices.map((d) => ({ ...d }))
  }
  async open(path: string): Promise<FakeDevice> {
    if (this.failOpen.has(path)) throw new Error('cannot open device with path ' + path)
    if (!this.devices.some((d) => d.path === path)) throw new Error('no such device')
    const device = new FakeDevice(path)
    this.opened.push(device)
    return device
  }
  get current(): FakeDevice {
    return this.opened.at(-1)!
  }
}

const SCANNER: HidDeviceInfo = { path: '/dev/hidraw3', vendorId: 0x0c2e, productId: 0x0b87, serialNumber: '19045B2C3A', product: 'Voyager 1450g', manufacturer: 'Honeywell', usagePage: 0x8c }
const KEYBOARD: HidDeviceInfo = { path: '/dev/hidraw1', vendorId: 0x046d, productId: 0xc31c, product: 'USB Keyboard', manufacturer: 'Logitech', usagePage: 0x01 }

function start(hid: FakeHid, path: string | null = SCANNER.path!) {
  const scans: PosScan[] = []
  const states: Array<[HidScannerState, string | undefined]> = []
  const partials = { count: 0 }
  const scanner = createHidScanner({
    path,
    hid,
    pollMs: 1000,
    onScan: (scan) => scans.push(scan),
    onPartial: () => partials.count++,
    onState: (state, detail) => states.push([state, detail]),
  })
  return { scanner, scans, states, partials, lastState: () => states.at(-1)?.[0] }
}

beforeEach(() => vi.useFakeTimers())
afterEach(() => vi.useRealTimers())

describe('createHidScanner', () => {
  it('delivers scans, joining long codes', async () => {
    const hid = new FakeHid()
    hid.devices = [KEYBOARD, SCANNER]
    const t = start(hid)
    await vi.advanceTimersByTimeAsync(0)
    expect(t.states).toEqual([['connected', undefined]])
    hid.current.scan(']E0', '4901234567894')
    const qr = 'eyJ' + 'a'.repeat(100)
    hid.current.scan(']Q1', qr.slice(0, 56), true)
    hid.current.scan(']Q1', qr.slice(56))
    expect(t.scans).toEqual([
      { text: '4901234567894', symbology: ']E0' },
      { text: qr, symbology: ']Q1' },
    ])
    t.scanner.stop()
  })

  it('reports a lost continuation as partial after the gap', async () => {
    const hid = new FakeHid()
    hid.devices = [SCANNER]
    const t = start(hid)
    await vi.advanceTimersByTimeAsync(0)
    hid.current.scan(']Q1', 'eyJ'.padEnd(56, 'a'), true)
    expect(t.partials.count).toBe(0)
    await vi.advanceTimersByTimeAsync(400)
    expect(t.partials.count).toBe(1)
    expect(t.scans).toEqual([])
    t.scanner.stop()
  })

  it('survives unplug and replug at a new path, and scans flow again', async () => {
    const hid = new FakeHid()
    hid.devices = [KEYBOARD, SCANNER]
    const t = start(hid)
    await vi.advanceTimersByTimeAsync(0)
    const first = hid.current
    hid.devices = [KEYBOARD]
    first.emit('error', new Error('could not read from HID device'))
    expect(t.lastState()).toBe('disconnected')
    expect(first.closed).toBe(true)
    await vi.advanceTimersByTimeAsync(3000)
    expect(t.lastState()).toBe('disconnected')
    expect(hid.listCalls).toBeGreaterThanOrEqual(3)

    hid.devices = [KEYBOARD, { ...SCANNER, path: '/dev/hidraw4' }] // the kernel gave it a new node
    await vi.advanceTimersByTimeAsync(1000)
    expect(t.lastState()).toBe('connected')
    expect(hid.current.path).toBe('/dev/hidraw4')
    hid.current.scan(']C1', 'M0000001')
    expect(t.scans).toEqual([{ text: 'M0000001', symbology: ']C1' }])
    expect(t.states.map(([s]) => s)).toEqual(['connected', 'disconnected', 'connected'])
    t.scanner.stop()
  })

  it('treats a close like an unplug and ignores events from the device it gave up', async () => {
    const hid = new FakeHid()
    hid.devices = [SCANNER]
    const t = start(hid)
    await vi.advanceTimersByTimeAsync(0)
    const first = hid.current
    first.scan(']Q1', 'eyJ'.padEnd(56, 'a'), true)
    first.emit('close')
    expect(t.lastState()).toBe('disconnected')
    expect(t.partials.count).toBe(1) // the half-received code is not silently dropped
    await vi.advanceTimersByTimeAsync(1000)
    expect(t.lastState()).toBe('connected')
    expect(hid.opened).toHaveLength(2)
    t.scanner.stop()
  })

  it('says error when the device will not open, and retries', async () => {
    const hid = new FakeHid()
    hid.devices = [SCANNER]
    hid.failOpen.add(SCANNER.path!)
    const t = start(hid)
    await vi.advanceTimersByTimeAsync(0)
    expect(t.lastState()).toBe('error')
    expect(t.states[0]![1]).toMatch(/could not open \/dev\/hidraw3: cannot open device/)
    await vi.advanceTimersByTimeAsync(2000)
    expect(t.states).toHaveLength(1) // the same error is not repeated on every retry
    hid.failOpen.clear()
    await vi.advanceTimersByTimeAsync(1000)
    expect(t.lastState()).toBe('connected')
    hid.current.scan(']E0', '4901234567894')
    expect(t.scans).toHaveLength(1)
    t.scanner.stop()
  })

  it('stop() closes the device and stops polling', async () => {
    const hid = new FakeHid()
    hid.devices = [SCANNER]
    const t = start(hid)
    await vi.advanceTimersByTimeAsync(0)
    const device = hid.current
    t.scanner.stop()
    expect(device.closed).toBe(true)
    device.emit('data', Buffer.alloc(64))

    const idle = new FakeHid() // not plugged in: polls until stopped
    const u = start(idle)
    await vi.advanceTimersByTimeAsync(2500)
    const calls = idle.listCalls
    expect(calls).toBeGreaterThanOrEqual(3)
    u.scanner.stop()
    await vi.advanceTimersByTimeAsync(10_000)
    expect(idle.listCalls).toBe(calls)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('closes a device whose open finishes after stop()', async () => {
    const hid = new FakeHid()
    hid.devices = [SCANNER]
    const t = start(hid)
    t.scanner.stop()
    await vi.advanceTimersByTimeAsync(0)
    expect(hid.opened.every((d) => d.closed)).toBe(true)
    expect(t.states).toEqual([])
  })

  it('with no chosen path takes the first scanner on usage page 0x8C', async () => {
    const hid = new FakeHid()
    hid.devices = [KEYBOARD, { ...SCANNER, path: '/dev/hidraw2', usagePage: 0x01 }, SCANNER]
    const t = start(hid, null)
    await vi.advanceTimersByTimeAsync(0)
    expect(hid.current.path).toBe('/dev/hidraw3')
    t.scanner.stop()
  })

  it('keeps going when a callback throws', async () => {
    const hid = new FakeHid()
    hid.devices = [SCANNER]
    const seen: string[] = []
    const scanner = createHidScanner({
      path: SCANNER.path!,
      hid,
      onScan: (scan) => {
        seen.push(scan.text)
        throw new Error('renderer gone')
      },
      onPartial: () => {},
      onState: () => {},
    })
    await vi.advanceTimersByTimeAsync(0)
    hid.current.scan(']E0', '4901234567894')
    hid.current.scan(']C1', 'M0000001')
    expect(seen).toEqual(['4901234567894', 'M0000001'])
    scanner.stop()
  })

  it('says error, without crashing, when node-hid cannot load', async () => {
    vi.resetModules()
    // node-hid itself imports; its native binding fails on first use, as without libusb.
    vi.doMock('node-hid', () => {
      const missing = () => {
        throw new Error('libusb-1.0.so.0: cannot open shared object file: No such file or directory')
      }
      return { default: { getHidapiVersion: missing, devicesAsync: missing, HIDAsync: { open: missing } } }
    })
    try {
      const { createHidScanner: create } = await import('../../electron/services/hid/scanner.ts')
      const states: Array<[string, string | undefined]> = []
      const scanner = create({ path: null, onScan: () => {}, onPartial: () => {}, onState: (s, d) => states.push([s, d]) })
      await vi.advanceTimersByTimeAsync(0)
      await vi.waitFor(() => expect(states).toHaveLength(1))
      expect(states[0]![0]).toBe('error')
      expect(states[0]![1]).toMatch(/^node-hid could not load: .*libusb-1\.0\.so\.0.*install libusb-1\.0-0/)
      scanner.stop()
    } finally {
      vi.doUnmock('node-hid')
      vi.resetModules()
    }
  })
})

describe('listPosScanners', () => {
  it('lists POS scanners first, then vendor pages, then the rest, skipping devices without a path', async () => {
    const hid = new FakeHid()
    const vendor: HidDeviceInfo = { path: '/dev/hidraw5', vendorId: 0x05e0, productId: 0x1300, product: 'DS2208', manufacturer: 'Zebra', usagePage: 0xff45 }
    hid.devices = [KEYBOARD, vendor, { vendorId: 1, productId: 2 }, SCANNER, { ...SCANNER }]
    expect(await listPosScanners(hid)).toEqual([
      { path: '/dev/hidraw3', vendorId: 0x0c2e, productId: 0x0b87, product: 'Voyager 1450g', manufacturer: 'Honeywell', usagePage: 0x8c },
      { path: '/dev/hidraw5', vendorId: 0x05e0, productId: 0x1300, product: 'DS2208', manufacturer: 'Zebra', usagePage: 0xff45 },
      { path: '/dev/hidraw1', vendorId: 0x046d, productId: 0xc31c, product: 'USB Keyboard', manufacturer: 'Logitech', usagePage: 0x01 },
    ])
  })

  it('uses node-hid itself when given nothing (no USB here: an empty list)', async () => {
    await expect(listPosScanners()).resolves.toBeInstanceOf(Array)
  })
})
