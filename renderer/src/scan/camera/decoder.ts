// What the camera worker needs from a barcode decoder: one RGBA frame in, at most one code out.
// A miss is `null`, never an exception (a scan loop misses on almost every frame).

/** The symbologies the counter reads; names follow zxing-cpp's spelling where it has one. */
export type BarcodeFormat = 'QRCode' | 'EAN-13' | 'EAN-8' | 'UPC-A' | 'Code128'

/** One camera frame, RGBA row-major like `ImageData` (4 bytes a pixel, no padding). */
export type Frame = { data: Uint8ClampedArray; width: number; height: number }

export type Decoded = { text: string; format: BarcodeFormat }

export interface FrameDecoder {
  readonly name: string
  decode(frame: Frame): Promise<Decoded | null>
  dispose?(): void
}

/**
 * Exactly what the counter expects: member QR codes, EAN-13 (JAN) and EAN-8 on goods, UPC-A on
 * imported goods, Code 128 on coupons and receipts. Nothing else is looked for: every extra
 * format costs time on every frame and adds false reads.
 */
export const COUNTER_FORMATS: BarcodeFormat[] = ['QRCode', 'EAN-13', 'EAN-8', 'UPC-A', 'Code128']

/** Luma (BT.601, integer) of an RGBA frame: one byte a pixel. */
export function toLuma(frame: Frame, out?: Uint8ClampedArray): Uint8ClampedArray {
  const { data, width, height } = frame
  const size = width * height
  if (data.length < size * 4) throw new RangeError(`frame data holds ${data.length} bytes, ${width}x${height} RGBA needs ${size * 4}`)
  const luma = out && out.length === size ? out : new Uint8ClampedArray(size)
  for (let i = 0, p = 0; i < size; i++, p += 4) {
    luma[i] = (306 * data[p]! + 601 * data[p + 1]! + 117 * data[p + 2]! + 512) >> 10
  }
  return luma
}
