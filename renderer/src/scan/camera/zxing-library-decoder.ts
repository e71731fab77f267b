// FrameDecoder on @zxing/library (the pure-JS port of ZXing), restricted to the counter's formats.
//
// Per frame, stopping at the first read:
//   1. QR reader on a HybridBinarizer (local thresholds: copes with glare and uneven light);
//   2. the 1D readers (EAN-13, EAN-8, UPC-A, Code 128), which binarise each scan line with its own
//      histogram whatever the binarizer;
//   3. the 1D readers on luma smoothed along the bars (7 rows): noise breaks thin bars on a line;
//   4. QR on a 3×3 blurred luma: the HybridBinarizer gives up on flat areas with noise
//      (TOOLCHAIN.md);
//   5. QR on a GlobalHistogramBinarizer (one threshold for the frame).
// No TRY_HARDER: with it an empty frame costs ~0.5 s; without it a miss costs ~20 ms.
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
import type { Result } from '@zxing/library'
import { blur3x3, smoothAlongBars, toLuma } from './decoder.ts'
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
 * its readers on frames it cannot read, which in a scan loop is many times a second. The call is
 * synchronous, so nothing else runs while the warning is muted.
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

/** The reader's result, or null for whatever it throws: NotFound, Checksum and Format exceptions, and the odd internal error on noise. */
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
  // Work buffers, reused from frame to frame (same size while the camera runs).
  let luma: Uint8ClampedArray | undefined
  let smoothed: Uint8ClampedArray | undefined
  let blurred: Uint8ClampedArray | undefined

  function toDecoded(result: Result | null): Decoded | null {
    if (!result) return null
    const format = FORMAT_NAMES.get(result.getBarcodeFormat())
    return format ? { text: result.getText(), format } : null
  }

  function decodeSync(frame: Frame): Decoded | null {
    const { width, height } = frame
    const grey = (luma = toLuma(frame, luma))
    const hybrid = (pixels: Uint8ClampedArray) => new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(pixels, width, height)))
    const found = quietly(() => {
      const plain = hybrid(grey)
      return (
        attempt(() => qrReader.decode(plain, qrHints)) ??
        attempt(() => linearReader.decodeWithState(plain)) ??
        attempt(() => linearReader.decodeWithState(hybrid((smoothed = smoothAlongBars(grey, width, height, 3, smoothed))))) ??
        attempt(() => qrReader.decode(hybrid((blurred = blur3x3(grey, width, height, blurred))), qrHints)) ??
        attempt(() => qrReader.decode(new BinaryBitmap(new GlobalHistogramBinarizer(new RGBLuminanceSource(grey, width, height))), qrHints))
      )
    })
    return toDecoded(found)
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
      luma = smoothed = blurred = undefined
    },
  }
}
