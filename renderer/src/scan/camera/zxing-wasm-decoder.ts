// FrameDecoder on zxing-wasm (zxing-cpp compiled to WebAssembly), reader-only build.
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
import { COUNTER_FORMATS } from './decoder.ts'
import type { BarcodeFormat, Decoded, FrameDecoder } from './decoder.ts'

export type ZxingWasmDecoderOptions = {
  /** URL of zxing_reader.wasm bundled with the app (renderer). */
  wasmUrl?: string
  /** The bytes of zxing_reader.wasm (Node: tests and bench). Wins over `wasmUrl`. */
  wasmBinary?: ArrayBuffer
  /** Overrides of the reader options below (for the bench; the defaults are the counter's). */
  readerOptions?: ReaderOptions
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
 * The counter's reader options. tryHarder stays on (zxing-cpp's default: more scan lines for 1D,
 * more finder-pattern checks for QR); a 640×480 frame is downscaled once for a second try
 * (tryDownscale) which helps blurred and large codes. tryRotate (90°/180°/270°) lets a product held
 * sideways read; tryInvert (light-on-dark) is off: no counter code is printed inverted.
 */
export const COUNTER_READER_OPTIONS: ReaderOptions = {
  formats: COUNTER_FORMATS,
  tryHarder: true,
  tryRotate: true,
  tryInvert: false,
  tryDownscale: true,
  maxNumberOfSymbols: 1,
}

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
      // readBarcodes takes anything shaped like ImageData ({ data, width, height }).
      const results = await readBarcodes({ data, width, height } as unknown as ImageData, readerOptions)
      return toDecoded(results)
    },
  }
}
