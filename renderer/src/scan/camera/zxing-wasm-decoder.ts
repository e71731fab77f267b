// FrameDecoder on zxing-wasm (zxing-cpp compiled to WebAssembly), reader-only build.
//
// Per frame: zxing-cpp on the frame for the counter's formats (tryHarder, 90° rotations, and a
// second look at half size, which averages noise away); on a miss, the linear formats again on
// luma smoothed along the bars (7 rows), which reads EAN and Code 128 through sensor noise that
// breaks thin bars on single scan lines.
//
// The .wasm file ships with the app: in the renderer, pass the URL Vite gives for
// `zxing-wasm/reader/zxing_reader.wasm?url` (camera-worker.ts does); in Node (tests, bench), read
// the file and pass its bytes as `wasmBinary`. Without either this refuses to start, because
// zxing-wasm's default would fetch the file from a CDN.
//
// The Emscripten module is one per JS realm (zxing-wasm caches it by factory): the first
// decoder's overrides load it; a later decoder with other overrides replaces them.
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader'
import type { ReaderOptions, ReadResult } from 'zxing-wasm/reader'
import { COUNTER_FORMATS, smoothAlongBars, toLuma } from './decoder.ts'
import type { BarcodeFormat, Decoded, Frame, FrameDecoder } from './decoder.ts'

export type ZxingWasmDecoderOptions = {
  /** URL of zxing_reader.wasm bundled with the app (renderer). */
  wasmUrl?: string
  /** The bytes of zxing_reader.wasm (Node: tests and bench). Wins over `wasmUrl`. */
  wasmBinary?: ArrayBuffer
  /** Overrides of COUNTER_READER_OPTIONS for the first pass (for experiments; the defaults are the counter's). */
  readerOptions?: ReaderOptions
  /** The second pass on smoothed luma for linear codes (default on). */
  smoothedRetry?: boolean
  /** Overrides of the second pass's reader options (for experiments). */
  retryOptions?: ReaderOptions
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
 * The counter's reader options. tryHarder stays on (zxing-cpp's default: more scan lines for 1D;
 * without it EAN/Code 128 reads drop sharply on camera frames). tryDownscale with a threshold of
 * 240 px and a factor of 2 gives a 640×480 frame a second look at 320×240 (the default threshold,
 * 500 px, never downscales a 480-line frame); it reads noisy and blurred QR codes. tryRotate
 * (90°/180°/270°) lets a product held sideways read. tryInvert (light on dark) is off: no counter
 * code is printed inverted.
 */
export const COUNTER_READER_OPTIONS: ReaderOptions = {
  formats: COUNTER_FORMATS,
  tryHarder: true,
  tryRotate: true,
  tryInvert: false,
  tryDownscale: true,
  downscaleThreshold: 240,
  downscaleFactor: 2,
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
  // Start loading now so the first frame does not pay for compiling the module; a failure is
  // reported by the first decode() (which awaits the same promise) rather than left unhandled.
  const ready = prepareZXingModule({ overrides, fireImmediately: true })
  ready.catch(() => {})
  const readerOptions: ReaderOptions = { ...COUNTER_READER_OPTIONS, ...options.readerOptions }
  // Smoothed rows are alike over 7 lines, so a misread agrees with itself more easily there: the
  // retry wants 4 agreeing scan lines, not 2 (measured: this removed the misreads the retry added).
  const retryOptions: ReaderOptions = { ...readerOptions, formats: LINEAR_FORMATS, tryRotate: false, tryDownscale: false, minLineCount: 4, ...options.retryOptions }
  const smoothedRetry = options.smoothedRetry ?? true
  // Work buffers for the second pass, reused from frame to frame.
  let luma: Uint8ClampedArray | undefined
  let smoothed: Uint8ClampedArray | undefined
  let greyRgba: Uint8ClampedArray | undefined

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
      await ready
      const first = toDecoded(await read(frame, readerOptions))
      if (first || !smoothedRetry) return first
      return toDecoded(await read(smoothedFrame(frame), retryOptions))
    },
    dispose: () => {
      luma = smoothed = greyRgba = undefined
    },
  }
}
