// Test frames for the camera decoders: a barcode drawn into an RGBA frame (640×480 by default),
// centred on a plain grey background, on a light label with its quiet zone. QR codes come from
// @zxing/library's QRCodeWriter, 1D codes from bwip-js's raw bar widths (no PNG round trip).
import bwipjs from 'bwip-js'
import { BarcodeFormat as ZxingFormat, EncodeHintType, QRCodeWriter } from '@zxing/library'
import type { BarcodeFormat, Frame } from '../../../renderer/src/scan/camera/decoder.ts'

export const FRAME_WIDTH = 640
export const FRAME_HEIGHT = 480

export type RenderOptions = {
  /** Pixels per module (bar unit or QR cell); fractions are fine (the grid is sampled per pixel). */
  moduleSize?: number
  /** Height of 1D bars in pixels. */
  barHeight?: number
  /** Quiet zone in modules on each side (QR: 4, 1D: 10 unless told). */
  quietZone?: number
  width?: number
  height?: number
  /** Grey levels: the frame around the label, the label (and light modules), the dark modules. */
  background?: number
  light?: number
  dark?: number
  /** Centre of the code in pixels (default: the frame's centre). */
  centerX?: number
  centerY?: number
  /** QR error correction level. */
  ecLevel?: 'L' | 'M' | 'Q' | 'H'
}

/** A grid of modules: `dark(x, y)` for 0 ≤ x < columns, 0 ≤ y < rows. */
type ModuleGrid = { columns: number; rows: number; dark: (x: number, y: number) => boolean }

export function blankFrame(width = FRAME_WIDTH, height = FRAME_HEIGHT, grey = 128): Frame {
  const data = new Uint8ClampedArray(width * height * 4)
  for (let p = 0; p < data.length; p += 4) {
    data[p] = data[p + 1] = data[p + 2] = grey
    data[p + 3] = 255
  }
  return { data, width, height }
}

function qrGrid(text: string, ecLevel: string): ModuleGrid {
  const hints = new Map<EncodeHintType, unknown>([
    [EncodeHintType.MARGIN, 0],
    [EncodeHintType.ERROR_CORRECTION, ecLevel],
  ])
  const matrix = new QRCodeWriter().encode(text, ZxingFormat.QR_CODE, 0, 0, hints)
  return { columns: matrix.getWidth(), rows: matrix.getHeight(), dark: (x, y) => matrix.get(x, y) }
}

const BWIPP_IDS: Record<Exclude<BarcodeFormat, 'QRCode'>, string> = {
  'EAN-13': 'ean13',
  'EAN-8': 'ean8',
  'UPC-A': 'upca',
  Code128: 'code128',
}

/** Bar (true) / space (false) per module, from bwip-js's space-bar-space widths (bars at even indexes). */
export function linearModules(format: Exclude<BarcodeFormat, 'QRCode'>, text: string): boolean[] {
  const [symbol] = bwipjs.raw(BWIPP_IDS[format], text, {})
  if (!symbol || !('sbs' in symbol)) throw new Error(`bwip-js gave no bars for ${format} ${text}`)
  const modules: boolean[] = []
  symbol.sbs.forEach((width, index) => {
    for (let i = 0; i < width; i++) modules.push(index % 2 === 0)
  })
  return modules
}

/** A frame with one code of `format` holding `text`, drawn as described by `options`. */
export function renderCode(format: BarcodeFormat, text: string, options: RenderOptions = {}): Frame {
  const {
    width = FRAME_WIDTH,
    height = FRAME_HEIGHT,
    background = 128,
    light = 230,
    dark = 30,
    centerX = width / 2,
    centerY = height / 2,
    ecLevel = 'M',
  } = options
  const isQr = format === 'QRCode'
  const quietZone = options.quietZone ?? (isQr ? 4 : 10)
  const moduleSize = options.moduleSize ?? (isQr ? 4 : 3)

  let grid: ModuleGrid
  let codeWidth: number
  let codeHeight: number
  if (isQr) {
    grid = qrGrid(text, ecLevel)
    codeWidth = grid.columns * moduleSize
    codeHeight = grid.rows * moduleSize
  } else {
    const modules = linearModules(format, text)
    grid = { columns: modules.length, rows: 1, dark: (x) => modules[x]! }
    codeWidth = modules.length * moduleSize
    codeHeight = options.barHeight ?? Math.round(Math.min(height * 0.3, codeWidth * 0.45))
  }
  const quiet = quietZone * moduleSize
  const left = centerX - codeWidth / 2
  const top = centerY - codeHeight / 2
  // The label: the code plus its quiet zone (1D: the quiet zone above and below is a third of it).
  const labelLeft = left - quiet
  const labelRight = left + codeWidth + quiet
  const labelTop = top - (isQr ? quiet : quiet / 3)
  const labelBottom = top + codeHeight + (isQr ? quiet : quiet / 3)
  if (labelLeft < 0 || labelTop < 0 || labelRight > width || labelBottom > height) {
    throw new RangeError(`${format} at ${moduleSize} px/module is ${Math.round(labelRight - labelLeft)}×${Math.round(labelBottom - labelTop)} px with its quiet zone: too big for ${width}×${height}`)
  }

  const frame = blankFrame(width, height, background)
  const { data } = frame
  for (let y = Math.floor(labelTop); y < Math.ceil(labelBottom); y++) {
    const cy = y + 0.5
    if (cy < labelTop || cy >= labelBottom) continue
    const my = Math.floor((cy - top) / moduleSize)
    for (let x = Math.floor(labelLeft); x < Math.ceil(labelRight); x++) {
      const cx = x + 0.5
      if (cx < labelLeft || cx >= labelRight) continue
      const mx = Math.floor((cx - left) / moduleSize)
      const inCode = mx >= 0 && mx < grid.columns && cy >= top && cy < top + codeHeight && (isQr ? my >= 0 && my < grid.rows : true)
      const value = inCode && grid.dark(mx, isQr ? my : 0) ? dark : light
      const p = (y * width + x) * 4
      data[p] = data[p + 1] = data[p + 2] = value
    }
  }
  return frame
}

/**
 * A JWS-like text (three base64url parts, `header.payload.signature`) of exactly `length`
 * characters, the shape of a signed member QR code. Deterministic for a given `seed`.
 */
export function jwsLikeText(length = 190, seed = 1): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
  const header = 'eyJhbGciOiJFUzI1NiIsImtpZCI6Im0xIn0' // {"alg":"ES256","kid":"m1"}
  let state = seed >>> 0
  const next = () => {
    state = (state * 1664525 + 1013904223) >>> 0
    return alphabet[state >>> 26]!
  }
  const rest = length - header.length - 2
  if (rest < 2) throw new RangeError(`a JWS-like text needs more than ${header.length + 3} characters`)
  const signatureLength = Math.min(86, Math.floor(rest / 2))
  const payloadLength = rest - signatureLength
  const part = (n: number) => Array.from({ length: n }, next).join('')
  return `${header}.${part(payloadLength)}.${part(signatureLength)}`
}
