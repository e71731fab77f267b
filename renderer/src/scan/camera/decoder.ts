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

/**
 * Luma averaged over `2·radius + 1` rows (a vertical box, edges clamped). For 1D codes held
 * roughly level, the bars are vertical: this averages sensor noise away (σ/√(2r+1)) without
 * widening the bars. A tilt of 10° moves a bar by under a pixel across 7 rows.
 */
export function smoothAlongBars(luma: Uint8ClampedArray, width: number, height: number, radius = 3, out?: Uint8ClampedArray): Uint8ClampedArray {
  const result = out && out.length === luma.length ? out : new Uint8ClampedArray(luma.length)
  const span = 2 * radius + 1
  const last = height - 1
  for (let x = 0; x < width; x++) {
    let sum = 0
    for (let k = -radius; k <= radius; k++) sum += luma[Math.min(last, Math.max(0, k)) * width + x]!
    for (let y = 0; y < height; y++) {
      result[y * width + x] = sum / span
      sum += luma[Math.min(last, y + radius + 1) * width + x]! - luma[Math.max(0, y - radius) * width + x]!
    }
  }
  return result
}

/** Luma through a 3×3 box blur (edges clamped): takes the pixel noise off flat areas for QR binarisation. */
export function blur3x3(luma: Uint8ClampedArray, width: number, height: number, out?: Uint8ClampedArray): Uint8ClampedArray {
  const result = out && out.length === luma.length ? out : new Uint8ClampedArray(luma.length)
  const rows = new Uint16Array(luma.length)
  for (let y = 0; y < height; y++) {
    const row = y * width
    for (let x = 0; x < width; x++) {
      rows[row + x] = luma[row + Math.max(0, x - 1)]! + luma[row + x]! + luma[row + Math.min(width - 1, x + 1)]!
    }
  }
  for (let y = 0; y < height; y++) {
    const above = Math.max(0, y - 1) * width
    const row = y * width
    const below = Math.min(height - 1, y + 1) * width
    for (let x = 0; x < width; x++) result[row + x] = (rows[above + x]! + rows[row + x]! + rows[below + x]! + 4) / 9
  }
  return result
}

/** The frame at half size (each 2×2 block averaged: sensor noise halves), as grey RGBA. */
export function halveToGrey(frame: Frame, out?: Uint8ClampedArray): Frame {
  const { data, width, height } = frame
  const w = width >> 1
  const h = height >> 1
  const result = out && out.length === w * h * 4 ? out : new Uint8ClampedArray(w * h * 4).fill(255)
  const lumaAt = (p: number) => 306 * data[p]! + 601 * data[p + 1]! + 117 * data[p + 2]!
  for (let y = 0; y < h; y++) {
    const top = 2 * y * width * 4
    const bottom = top + width * 4
    for (let x = 0; x < w; x++) {
      const left = 8 * x
      const sum = lumaAt(top + left) + lumaAt(top + left + 4) + lumaAt(bottom + left) + lumaAt(bottom + left + 4)
      const p = (y * w + x) * 4
      result[p] = result[p + 1] = result[p + 2] = (sum + 2048) >> 12
    }
  }
  return { data: result, width: w, height: h }
}
