// FrameDecoder on @zxing/library (the pure-JS port of ZXing), restricted to the counter's formats.
//
// Per frame: grey luma → QR reader on a HybridBinarizer (local thresholds: good on glare and
// uneven light) → QR reader again on a GlobalHistogramBinarizer (the HybridBinarizer gives up on
// flat areas with noise, see TOOLCHAIN.md) → the 1D readers. The 1D readers binarise row by row
// with the same global histogram whatever the binarizer, so one pass covers both. No TRY_HARDER:
// on an empty frame it costs ~0.5 s; without it a miss costs a few ms.
import {
  BarcodeFormat as ZxingFormat,
  BinaryBitmap,
  DecodeHintType,
  GlobalHistogramBinarizer,
  HybridBinarizer,
  MultiFormatReader,
  QRCodeReader,
  RGBLuminanceSource,
} from '@zxing/library'
import type { Binarizer, Result } from '@zxing/library'
import { toLuma } from './decoder.ts'
import type { BarcodeFormat, Decoded, Frame, FrameDecoder } from './decoder.ts'

const FORMAT_NAMES = new Map<ZxingFormat, BarcodeFormat>([
  [ZxingFormat.QR_CODE, 'QRCode'],
  [ZxingFormat.EAN_13, 'EAN-13'],
  [ZxingFormat.EAN_8, 'EAN-8'],
  [ZxingFormat.UPC_A, 'UPC-A'],
  [ZxingFormat.CODE_128, 'Code128'],
])

const LINEAR_FORMATS = [ZxingFormat.EAN_13, ZxingFormat.EAN_8, ZxingFormat.UPC_A, ZxingFormat.CODE_128]

/**
 * Runs `fn` with `console.warn` muted: @zxing/library 0.23 warns (with a stack trace) from inside
 * its readers on frames it cannot read, hundreds of times a second in a scan loop. The call is
 * synchronous, so nothing else can run while the warning is muted.
 */
function quietly<T>(fn: () => T): T {
  const warn = console.warn
  console.warn = () => {}
  try {
    return fn()
  } finally {
    console.warn = warn
  }
}

/** The reader's result, or null for anything it throws: NotFound, Checksum and Format exceptions, and the odd internal error on noise. */
function attempt(read: () => Result): Result | null {
  try {
    return read()
  } catch {
    return null
  }
}

export function createZxingLibraryDecoder(): FrameDecoder {
  const qrReader = new QRCodeReader()
  const qrHints = new Map<DecodeHintType, unknown>()
  const linearReader = new MultiFormatReader()
  linearReader.setHints(new Map<DecodeHintType, unknown>([[DecodeHintType.POSSIBLE_FORMATS, LINEAR_FORMATS]]))
  let luma: Uint8ClampedArray | undefined

  function toDecoded(result: Result | null): Decoded | null {
    if (!result) return null
    const format = FORMAT_NAMES.get(result.getBarcodeFormat())
    return format ? { text: result.getText(), format } : null
  }

  function decodeSync(frame: Frame): Decoded | null {
    luma = toLuma(frame, luma)
    const { width, height } = frame
    const source = new RGBLuminanceSource(luma, width, height)
    const bitmap = (binarizer: Binarizer) => new BinaryBitmap(binarizer)
    return quietly(() => {
      const hybrid = bitmap(new HybridBinarizer(source))
      const found =
        attempt(() => qrReader.decode(hybrid, qrHints)) ??
        attempt(() => qrReader.decode(bitmap(new GlobalHistogramBinarizer(source)), qrHints)) ??
        attempt(() => linearReader.decodeWithState(hybrid))
      return toDecoded(found)
    })
  }

  return {
    name: 'zxing-library',
    decode: (frame) => {
      try {
        return Promise.resolve(decodeSync(frame))
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)))
      }
    },
    dispose: () => {
      qrReader.reset()
      linearReader.reset()
      luma = undefined
    },
  }
}
