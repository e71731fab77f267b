// The camera decoders (both behind one FrameDecoder interface), the worker's message handler,
// the dedupe and confirmation rules, and the test-frame and .y4m helpers they are tested with.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { COUNTER_FORMATS } from '../../renderer/src/scan/camera/decoder.ts'
import type { BarcodeFormat, Frame, FrameDecoder } from '../../renderer/src/scan/camera/decoder.ts'
import { createConfirmation, createDedupe } from '../../renderer/src/scan/camera/dedupe.ts'
import { createWorkerHandler } from '../../renderer/src/scan/camera/worker-protocol.ts'
import type { WorkerResponse } from '../../renderer/src/scan/camera/worker-protocol.ts'
import { createZxingLibraryDecoder } from '../../renderer/src/scan/camera/zxing-library-decoder.ts'
import { createZxingWasmDecoder, upcAsZxingJsDoes } from '../../renderer/src/scan/camera/zxing-wasm-decoder.ts'
import {
  FRAME_HEIGHT,
  FRAME_WIDTH,
  addNoise,
  blankFrame,
  deskFrame,
  encodeY4m,
  gaussianBlur,
  glare,
  jwsLikeText,
  lowContrast,
  noiseFrame,
  renderCode,
  rotate,
  seededRandom,
  writeY4m,
  y4mHeader,
  zxingWasmBinary,
} from '../support/frames/index.ts'

const MEMBER_QR = jwsLikeText(190)

const CODES: Array<{ format: BarcodeFormat; text: string }> = [
  { format: 'QRCode', text: MEMBER_QR },
  { format: 'EAN-13', text: '4901234567894' },
  { format: 'EAN-8', text: '49123456' },
  { format: 'UPC-A', text: '012345678905' },
  { format: 'Code128', text: 'M0000001' },
]

const wasmBinary = zxingWasmBinary()
const makers: Array<[string, () => FrameDecoder]> = [
  ['zxing-library', () => createZxingLibraryDecoder()],
  ['zxing-wasm', () => createZxingWasmDecoder({ wasmBinary })],
]

describe('test frames', () => {
  it('makes a JWS-like text of the asked length', () => {
    expect(MEMBER_QR).toHaveLength(190)
    expect(MEMBER_QR).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/)
    expect(jwsLikeText(190)).toBe(MEMBER_QR)
  })

  it('renders 640×480 RGBA frames, and refuses a code too big for the frame', () => {
    const frame = renderCode('EAN-13', '4901234567894')
    expect([frame.width, frame.height, frame.data.length]).toEqual([FRAME_WIDTH, FRAME_HEIGHT, FRAME_WIDTH * FRAME_HEIGHT * 4])
    expect(frame.data[3]).toBe(255)
    expect(() => renderCode('QRCode', MEMBER_QR, { moduleSize: 10 })).toThrow(/too big/)
  })

  it('distorts without touching its input', () => {
    const clean = renderCode('QRCode', 'hello')
    const copy = clean.data.slice()
    for (const distorted of [gaussianBlur(clean, 1), addNoise(clean, 10, seededRandom(1)), rotate(clean, 5), lowContrast(clean, 0.4), glare(clean)]) {
      expect(distorted.data).toHaveLength(clean.data.length)
      expect(distorted.data).not.toEqual(clean.data)
    }
    expect(clean.data).toEqual(copy)
  })
})

describe.each(makers)('%s decoder', (name, make) => {
  let decoder: FrameDecoder
  beforeAll(() => {
    decoder = make()
  })
  afterAll(() => decoder.dispose?.())

  it('is named', () => {
    expect(decoder.name).toBe(name)
  })

  it.each(CODES)('reads a clean $format', async ({ format, text }) => {
    expect(await decoder.decode(renderCode(format, text))).toEqual({ text, format })
  })

  it('reads a member QR through blur, noise and a tilt', async () => {
    const random = seededRandom(3)
    const frame = addNoise(gaussianBlur(rotate(renderCode('QRCode', MEMBER_QR), 6), 0.8), 12, random)
    expect(await decoder.decode(frame)).toEqual({ text: MEMBER_QR, format: 'QRCode' })
  })

  it('reads an EAN-13 under a glare blob and low contrast', async () => {
    const frame = lowContrast(glare(renderCode('EAN-13', '4901234567894'), { strength: 120 }), 0.5)
    expect(await decoder.decode(frame)).toEqual({ text: '4901234567894', format: 'EAN-13' })
  })

  it.each([
    ['grey noise', () => noiseFrame(seededRandom(5), 20)],
    ['a desk', () => deskFrame(seededRandom(6))],
    ['a flat grey frame', () => blankFrame()],
  ])('returns null (no exception) for %s', async (_, make) => {
    await expect(decoder.decode(make())).resolves.toBeNull()
  })

  it('logs nothing on misses (a scan loop misses many times a second)', async () => {
    const warn = vi.spyOn(console, 'warn')
    const error = vi.spyOn(console, 'error')
    try {
      const random = seededRandom(9)
      for (let i = 0; i < 4; i++) await decoder.decode(noiseFrame(random, 8 + 6 * i))
      await decoder.decode(addNoise(renderCode('QRCode', MEMBER_QR, { moduleSize: 3 }), 40, random))
      expect(warn).not.toHaveBeenCalled()
      expect(error).not.toHaveBeenCalled()
    } finally {
      warn.mockRestore()
      error.mockRestore()
    }
  })

  it('rejects a frame whose data is shorter than width × height × 4', async () => {
    await expect(decoder.decode({ data: new Uint8ClampedArray(16), width: 640, height: 480 })).rejects.toThrow(RangeError)
  })
})

describe('zxing-wasm specifics', () => {
  it('never falls back to the CDN: no wasmUrl and no wasmBinary is an error', () => {
    expect(() => createZxingWasmDecoder()).toThrow(/never fetched from a CDN/)
  })

  it('reports UPC-A as 12 digits, as @zxing/library does', () => {
    expect(upcAsZxingJsDoes({ text: '0012345678905', format: 'EAN-13' })).toEqual({ text: '012345678905', format: 'UPC-A' })
    expect(upcAsZxingJsDoes({ text: '0012345678905', format: 'UPC-A' })).toEqual({ text: '012345678905', format: 'UPC-A' })
    expect(upcAsZxingJsDoes({ text: '4901234567894', format: 'EAN-13' })).toEqual({ text: '4901234567894', format: 'EAN-13' })
  })

  it('looks for exactly the counter formats', () => {
    expect(COUNTER_FORMATS).toEqual(['QRCode', 'EAN-13', 'EAN-8', 'UPC-A', 'Code128'])
  })
})

describe('camera worker handler', () => {
  function harness() {
    const posted: WorkerResponse[] = []
    let created = 0
    const handle = createWorkerHandler(
      (message) => posted.push(message),
      {
        'zxing-library': () => {
          created++
          return createZxingLibraryDecoder()
        },
        'zxing-wasm': () => createZxingWasmDecoder({ wasmBinary }),
      },
      (() => {
        let t = 0
        return () => (t += 5)
      })(),
    )
    return { posted, handle, created: () => created }
  }

  it('answers each frame with its id, the decoded code and the time spent', async () => {
    const { posted, handle } = harness()
    await handle({ type: 'init', decoder: 'zxing-library' })
    await handle({ type: 'frame', id: 1, frame: renderCode('Code128', 'M0000001') })
    await handle({ type: 'frame', id: 2, frame: noiseFrame(seededRandom(1)) })
    expect(posted).toEqual([
      { type: 'ready', decoder: 'zxing-library' },
      { type: 'result', id: 1, decoded: { text: 'M0000001', format: 'Code128' }, ms: 5 },
      { type: 'result', id: 2, decoded: null, ms: 5 },
    ])
  })

  it('creates each decoder once, switches between them, and takes a bare transferred ArrayBuffer too', async () => {
    const { posted, handle, created } = harness()
    await handle({ type: 'init', decoder: 'zxing-library' })
    await handle({ type: 'init', decoder: 'zxing-wasm' })
    await handle({ type: 'init', decoder: 'zxing-library' })
    expect(created()).toBe(1)
    await handle({ type: 'init', decoder: 'zxing-wasm' })
    const frame = renderCode('EAN-8', '49123456')
    await handle({ type: 'frame', id: 7, frame: { ...frame, data: frame.data.buffer as unknown as Uint8ClampedArray } })
    expect(posted.at(-1)).toMatchObject({ type: 'result', id: 7, decoded: { text: '49123456', format: 'EAN-8' } })
  })

  it('reports a frame before init, and a failed init, as errors', async () => {
    const { posted, handle } = harness()
    await handle({ type: 'frame', id: 3, frame: blankFrame() })
    await handle({ type: 'init', decoder: 'zbar' as never })
    expect(posted).toEqual([
      { type: 'error', id: 3, message: 'frame before init' },
      { type: 'error', message: 'unknown decoder "zbar"' },
    ])
  })

  it('answers init with an error when the wasm cannot be loaded, and the next good decoder still works', async () => {
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => {})
    try {
      const posted: WorkerResponse[] = []
      const handle = createWorkerHandler((message) => posted.push(message), {
        'zxing-wasm': (init) => createZxingWasmDecoder({ wasmUrl: init.wasmUrl ?? 'missing.wasm' }),
        'zxing-library': () => createZxingLibraryDecoder(),
      })
      await handle({ type: 'init', decoder: 'zxing-wasm', wasmUrl: 'file:///nonexistent/zxing_reader.wasm' })
      expect(posted).toHaveLength(1)
      expect(posted[0]).toMatchObject({ type: 'error', message: expect.stringMatching(/^zxing-wasm decoder could not start: .*wasm/) })
      expect(posted[0]).not.toHaveProperty('id')
    } finally {
      quiet.mockRestore()
    }
    const decoder = createZxingWasmDecoder({ wasmBinary })
    expect(await decoder.decode(renderCode('EAN-13', '4901234567894'))).toEqual({ text: '4901234567894', format: 'EAN-13' })
  })
})

describe('dedupe: the same code is not read twice in a row within 2 s', () => {
  it('refuses a repeat within the window and accepts it after', () => {
    const accept = createDedupe()
    expect(accept('A', 0)).toBe(true)
    expect(accept('A', 1999)).toBe(false)
    expect(accept('A', 3999)).toBe(true) // 2 s since it was last seen at 1999
  })

  it('keeps refusing a code that stays in view (the window runs from its last sighting)', () => {
    const accept = createDedupe(2000)
    expect([0, 500, 1000, 1500, 2000, 2500, 3000].map((t) => accept('A', t))).toEqual([true, false, false, false, false, false, false])
    expect(accept('A', 5000)).toBe(true)
  })

  it('accepts another code at once, and the first again after it', () => {
    const accept = createDedupe()
    expect([accept('A', 0), accept('B', 100), accept('A', 200), accept('A', 300)]).toEqual([true, true, true, false])
  })

  it('takes its window as a parameter', () => {
    const accept = createDedupe(100)
    expect([accept('A', 0), accept('A', 50), accept('A', 151)]).toEqual([true, false, true])
  })
})

describe('confirmation of 1D reads', () => {
  it('confirms a code read twice within the window, not a one-off misread', () => {
    const confirmed = createConfirmation(2, 600)
    expect(confirmed('4901234567894', 0)).toBe(false)
    expect(confirmed('8901933567894', 30)).toBe(false)
    expect(confirmed('4901234567894', 60)).toBe(true)
    expect(confirmed('8901933567894', 700)).toBe(false) // its first read is too old
  })
})

describe('y4m writer', () => {
  const grey = blankFrame(640, 480, 128)
  const red: Frame = blankFrame(640, 480, 0)
  for (let p = 0; p < red.data.length; p += 4) red.data[p] = 255

  it('writes the header, then FRAME + Y + U + V per frame', () => {
    const bytes = encodeY4m([grey, red, grey])
    const header = 'YUV4MPEG2 W640 H480 F30:1 Ip A1:1 C420jpeg\n'
    expect(y4mHeader(640, 480)).toBe(header)
    expect(bytes.subarray(0, header.length).toString('ascii')).toBe(header)
    const frameSize = 640 * 480 * 1.5 + 6
    expect(bytes.length).toBe(header.length + 3 * frameSize)
    for (let i = 0; i < 3; i++) expect(bytes.subarray(header.length + i * frameSize, header.length + i * frameSize + 6).toString('ascii')).toBe('FRAME\n')
    const first = header.length + 6
    expect([bytes[first], bytes[first + 640 * 480], bytes[first + 640 * 480 + 320 * 240]]).toEqual([128, 128, 128])
    const second = header.length + frameSize + 6
    expect(bytes[second]).toBe(76) // Y of pure red, full range BT.601
    expect(bytes[second + 640 * 480 + 320 * 240]).toBe(255) // V (Cr) of pure red
  })

  it('writes a file of that size, at the fps asked', () => {
    const dir = mkdtempSync(join(tmpdir(), 'musubi-y4m-'))
    try {
      const file = join(dir, 'camera.y4m')
      writeY4m(file, [grey, grey], 15)
      const header = y4mHeader(640, 480, 15)
      expect(statSync(file).size).toBe(header.length + 2 * (640 * 480 * 1.5 + 6))
      expect(readFileSync(file).subarray(0, header.length).toString('ascii')).toBe('YUV4MPEG2 W640 H480 F15:1 Ip A1:1 C420jpeg\n')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('refuses odd sizes and mixed sizes', () => {
    expect(() => encodeY4m([blankFrame(641, 480)])).toThrow(/even/)
    expect(() => encodeY4m([grey, blankFrame(320, 240)])).toThrow(/frame 1/)
    expect(() => encodeY4m([])).toThrow(/at least one/)
  })
})
