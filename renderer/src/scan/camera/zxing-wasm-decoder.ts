// FrameDecoder on zxing-wasm (zxing-cpp compiled to WebAssembly), reader-only build.
//
// Per frame, stopping at the first read:
//   1. zxing-cpp on the frame for the counter's formats (tryHarder, 90° rotations);
//   2. QR only, on the frame at half size (2×2 averaged: noise halves, blur shrinks);
//   3. the linear formats on luma smoothed along the bars (7 rows), which reads EAN and Code 128
//      through sensor noise that breaks thin bars on single scan lines.
// zxing-cpp's own tryDownscale is not used: it would look at 1D codes at half size too, where
// their 1.3–1.7 px modules gave wrong EAN-13 numbers in the bench.
//
// The .wasm file ships with the app: in the renderer, pass the URL Vite gives for
// `zxing-wasm/reader/zxing_reader.wasm?url` (camera-worker.ts does); in Node (tests, bench), read
// the file and pass its bytes as `wasmBinary`. Without either this refuses to start, because
// zxing-wasm's default would fetch the file from a CDN.
//
// The Emscripten module is one per JS realm (zxing-wasm caches it by factory); two decoders with
// different wasm sources in one realm would reload it in turn (the worker has one).
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader'
import type { ReaderOptions, ReadResult } from 'zxing-wasm/reader'
import { COUNTER_FORMATS, halveToGrey, smoothAlongBars, toLuma } from './decoder.ts'
import type { BarcodeFormat, Decoded, Frame, FrameDecoder } from './decoder.ts'

export type ZxingWasmDecoderOptions = {
  /** URL of zxing_reader.wasm bundled with the app (renderer). */
  wasmUrl?: string
  /** The bytes of zxing_reader.wasm (Node: tests and bench). Wins over `wasmUrl`. */
  wasmBinary?: ArrayBuffer
  /** Overrides of COUNTER_READER_OPTIONS for the first pass (for experiments; the defaults are the counter's). */
  readerOptions?: ReaderOptions
  /** The retries on a miss: QR at half size, linear codes on smoothed luma (default on). */
  retries?: boolean
  /** Overrides of the smoothed retry's reader options (for experiments). */
  retryOptions?: ReaderOptions
  /** Overrides of the half-size QR retry's reader options (for experiments). */
  halfOptions?: ReaderOptions
}

/** zxing-cpp's output names → ours. */
const FORMAT_NAMES: Record<string, BarcodeFormat> = {
  QRCode: 'QRCode',
  EAN13: 'EAN-13',
  EAN8: 'EAN-8',
  UPCA: 'UPC-A',
  Code128: 'Code128',
}

/**
 * The counter's reader options for the first pass. tryHarder stays on (zxing-cpp's default: more
 * scan lines for 1D; without it EAN/Code 128 reads drop sharply on camera frames). tryRotate
 * (90°/180°/270°) lets a product held sideways read. tryInvert (light on dark) is off: no counter
 * code is printed inverted. tryDownscale is off (see above; the QR retry at half size does it).
 */
export const COUNTER_READER_OPTIONS: ReaderOptions = {
  formats: COUNTER_FORMATS,
  tryHarder: true,
  tryRotate: true,
  tryInvert: false,
  tryDownscale: false,
  maxNumberOfSymbols: 1,
}

const LINEAR_FORMATS = COUNTER_FORMATS.filter((format) => format !== 'QRCode')

/**
 * A UPC-A symbol is an EAN-13 whose first digit is 0. zxing-cpp 3 reports it as EAN-13 (or UPC-A)
 * with 13 digits, '0012345678905'; @zxing/library, as UPC-A with its 12 digits, '012345678905'.
 * Both decoders answer the latter, so the counter sees one code whatever decoder read it.
 */
export function upcAsZxingJsDoes(decoded: Decoded): Decoded {
  const { text, format } = decoded
  if ((format === 'EAN-13' || format === 'UPC-A') && /^0\d{12}$/.test(text)) return { text: text.slice(1), format: 'UPC-A' }
  return decoded
}

export function createZxingWasmDecoder(options: ZxingWasmDecoderOptions = {}): FrameDecoder {
  const { wasmUrl, wasmBinary } = options
  if (!wasmBinary && !wasmUrl) {
    throw new Error('zxing-wasm decoder: pass wasmUrl (the bundled zxing_reader.wasm) or wasmBinary; it is never fetched from a CDN')
  }
  const overrides = wasmBinary
    ? { wasmBinary }
    : { locateFile: (path: string, prefix: string) => (path.endsWith('.wasm') ? wasmUrl! : prefix + path) }
  // zxing-wasm keeps one module per realm, under the overrides it was last prepared with. Asking
  // again with the same overrides object returns the cached module, so each decode asks: if
  // another decoder prepared it differently meanwhile, this one gets its own wasm back.
  const prepare = () => prepareZXingModule({ overrides, fireImmediately: true })
  // Start loading now so the first frame does not pay for compiling the module; a failure is
  // reported by the first decode() (the camera worker does one on init), not left unhandled.
  prepare().catch(() => {})
  const readerOptions: ReaderOptions = { ...COUNTER_READER_OPTIONS, ...options.readerOptions }
  // Smoothed rows are alike over 7 lines, so a misread agrees with itself more easily there: the
  // retry wants 4 agreeing scan lines, not 2 (measured: this removed the misreads the retry added).
  const retryOptions: ReaderOptions = { ...readerOptions, formats: LINEAR_FORMATS, tryRotate: false, tryDownscale: false, minLineCount: 4, ...options.retryOptions }
  const halfOptions: ReaderOptions = { ...readerOptions, formats: ['QRCode'], tryDownscale: false, ...options.halfOptions }
  const retries = options.retries ?? true
  // Work buffers for the retries, reused from frame to frame.
  let luma: Uint8ClampedArray | undefined
  let smoothed: Uint8ClampedArray | undefined
  let greyRgba: Uint8ClampedArray | undefined
  let halfRgba: Uint8ClampedArray | undefined

  /** The frame's luma smoothed along vertical bars, as grey RGBA (readBarcodes takes RGBA only). */
  function smoothedFrame(frame: Frame): Frame {
    const { width, height } = frame
    luma = toLuma(frame, luma)
    smoothed = smoothAlongBars(luma, width, height, 3, smoothed)
    if (!greyRgba || greyRgba.length !== width * height * 4) greyRgba = new Uint8ClampedArray(width * height * 4).fill(255)
    for (let i = 0, p = 0; i < smoothed.length; i++, p += 4) greyRgba[p] = greyRgba[p + 1] = greyRgba[p + 2] = smoothed[i]!
    return { data: greyRgba, width, height }
  }

  const read = (frame: Frame, options: ReaderOptions) =>
    // readBarcodes takes anything shaped like ImageData ({ data, width, height }).
    readBarcodes({ data: frame.data, width: frame.width, height: frame.height } as unknown as ImageData, options)

  function toDecoded(results: ReadResult[]): Decoded | null {
    for (const result of results) {
      const format = FORMAT_NAMES[result.format]
      if (result.isValid && format) return upcAsZxingJsDoes({ text: result.text, format })
    }
    return null
  }

  return {
    name: 'zxing-wasm',
    async decode(frame) {
      const { data, width, height } = frame
      if (data.length < width * height * 4) throw new RangeError(`frame data holds ${data.length} bytes, ${width}x${height} RGBA needs ${width * height * 4}`)
      await prepare()
      const first = toDecoded(await read(frame, readerOptions))
      if (first || !retries) return first
      const half = halveToGrey(frame, halfRgba)
      halfRgba = half.data
      return toDecoded(await read(half, halfOptions)) ?? toDecoded(await read(smoothedFrame(frame), retryOptions))
    },
    dispose: () => {
      luma = smoothed = greyRgba = halfRgba = undefined
    },
  }
}
