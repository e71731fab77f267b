// Camera-like distortions of test frames, and empty frames. Every function returns a new frame
// and leaves its input alone; randomness comes from a seeded generator, so a run is repeatable.
// Alpha stays 255; grey effects (noise, glare) change R, G and B by the same amount, so their
// size is in grey levels of luma.
import type { Frame } from '../../../renderer/src/scan/camera/decoder.ts'
import { prng } from '../random.ts'
import { FRAME_HEIGHT, FRAME_WIDTH } from './render.ts'

export type Random = () => number

/** mulberry32 (see ../random.ts). */
export const seededRandom: (seed: number) => Random = prng

/** Standard normal samples (Box–Muller) from a uniform generator. */
export function gaussian(random: Random): () => number {
  let spare: number | null = null
  return () => {
    if (spare !== null) {
      const value = spare
      spare = null
      return value
    }
    const u = 1 - random()
    const v = random()
    const r = Math.sqrt(-2 * Math.log(u))
    spare = r * Math.sin(2 * Math.PI * v)
    return r * Math.cos(2 * Math.PI * v)
  }
}

function like(frame: Frame): Frame {
  return { data: new Uint8ClampedArray(frame.data.length), width: frame.width, height: frame.height }
}

/** One horizontal then one vertical box pass of half-width `radius` (edges clamped), per channel. */
function boxPass(source: Frame, radius: number): Frame {
  const { width, height } = source
  const horizontal = like(source)
  const out = like(source)
  const span = 2 * radius + 1
  for (let y = 0; y < height; y++) {
    for (let c = 0; c < 3; c++) {
      let sum = 0
      for (let k = -radius; k <= radius; k++) sum += source.data[(y * width + Math.min(width - 1, Math.max(0, k))) * 4 + c]!
      for (let x = 0; x < width; x++) {
        horizontal.data[(y * width + x) * 4 + c] = sum / span
        const add = Math.min(width - 1, x + radius + 1)
        const drop = Math.max(0, x - radius)
        sum += source.data[(y * width + add) * 4 + c]! - source.data[(y * width + drop) * 4 + c]!
      }
    }
  }
  for (let x = 0; x < width; x++) {
    for (let c = 0; c < 3; c++) {
      let sum = 0
      for (let k = -radius; k <= radius; k++) sum += horizontal.data[(Math.min(height - 1, Math.max(0, k)) * width + x) * 4 + c]!
      for (let y = 0; y < height; y++) {
        out.data[(y * width + x) * 4 + c] = sum / span
        const add = Math.min(height - 1, y + radius + 1)
        const drop = Math.max(0, y - radius)
        sum += horizontal.data[(add * width + x) * 4 + c]! - horizontal.data[(drop * width + x) * 4 + c]!
      }
    }
  }
  for (let p = 3; p < out.data.length; p += 4) out.data[p] = 255
  return out
}

/** Box blur of half-width `radius` pixels (a (2r+1)² mean). */
export function boxBlur(frame: Frame, radius: number): Frame {
  return radius <= 0 ? { ...frame, data: frame.data.slice() } : boxPass(frame, Math.round(radius))
}

/** Gaussian blur of standard deviation `sigma` pixels: a separable kernel 2·⌈3σ⌉+1 taps wide, edges clamped. */
export function gaussianBlur(frame: Frame, sigma: number): Frame {
  if (sigma <= 0) return { ...frame, data: frame.data.slice() }
  const radius = Math.max(1, Math.ceil(3 * sigma))
  const kernel = Array.from({ length: 2 * radius + 1 }, (_, i) => Math.exp(-((i - radius) ** 2) / (2 * sigma * sigma)))
  const total = kernel.reduce((a, b) => a + b, 0)
  const weights = kernel.map((k) => k / total)
  const { width, height } = frame
  const pass = (source: Float32Array, horizontal: boolean): Float32Array => {
    const out = new Float32Array(source.length)
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        for (let c = 0; c < 3; c++) {
          let sum = 0
          for (let k = -radius; k <= radius; k++) {
            const sx = horizontal ? Math.min(width - 1, Math.max(0, x + k)) : x
            const sy = horizontal ? y : Math.min(height - 1, Math.max(0, y + k))
            sum += weights[k + radius]! * source[(sy * width + sx) * 4 + c]!
          }
          out[(y * width + x) * 4 + c] = sum
        }
      }
    }
    return out
  }
  const blurred = pass(pass(Float32Array.from(frame.data), true), false)
  const out = like(frame)
  for (let p = 0; p < out.data.length; p++) out.data[p] = (p & 3) === 3 ? 255 : blurred[p]!
  return out
}

/** Gaussian grey noise of standard deviation `sigma` grey levels, clamped to 0..255. */
export function addNoise(frame: Frame, sigma: number, random: Random): Frame {
  const out = like(frame)
  const normal = gaussian(random)
  for (let p = 0; p < frame.data.length; p += 4) {
    const n = normal() * sigma
    out.data[p] = frame.data[p]! + n
    out.data[p + 1] = frame.data[p + 1]! + n
    out.data[p + 2] = frame.data[p + 2]! + n
    out.data[p + 3] = 255
  }
  return out
}

/** Rotation by `degrees` (counter-clockwise) about the centre, bilinear; uncovered corners take the nearest edge pixel. */
export function rotate(frame: Frame, degrees: number): Frame {
  const { width, height, data } = frame
  const out = like(frame)
  const angle = (degrees * Math.PI) / 180
  const cos = Math.cos(angle)
  const sin = Math.sin(angle)
  const cx = width / 2
  const cy = height / 2
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      // Inverse mapping: where in the source does this output pixel come from?
      const dx = x + 0.5 - cx
      const dy = y + 0.5 - cy
      const sx = Math.min(width - 1, Math.max(0, cos * dx - sin * dy + cx - 0.5))
      const sy = Math.min(height - 1, Math.max(0, sin * dx + cos * dy + cy - 0.5))
      const x0 = Math.floor(sx)
      const y0 = Math.floor(sy)
      const x1 = Math.min(width - 1, x0 + 1)
      const y1 = Math.min(height - 1, y0 + 1)
      const fx = sx - x0
      const fy = sy - y0
      const o = (y * width + x) * 4
      for (let c = 0; c < 3; c++) {
        const a = data[(y0 * width + x0) * 4 + c]!
        const b = data[(y0 * width + x1) * 4 + c]!
        const d = data[(y1 * width + x0) * 4 + c]!
        const e = data[(y1 * width + x1) * 4 + c]!
        out.data[o + c] = (a * (1 - fx) + b * fx) * (1 - fy) + (d * (1 - fx) + e * fx) * fy
      }
      out.data[o + 3] = 255
    }
  }
  return out
}

/** Contrast squeezed towards `mid`: value → mid + (value − mid)·factor (0.3 turns 30/230 into ~98/158). */
export function lowContrast(frame: Frame, factor: number, mid = 128): Frame {
  const out = like(frame)
  for (let p = 0; p < frame.data.length; p++) out.data[p] = (p & 3) === 3 ? 255 : mid + (frame.data[p]! - mid) * factor
  return out
}

export type GlareOptions = {
  /** Centre in pixels (default: a little above and left of the frame's centre). */
  centerX?: number
  centerY?: number
  /** Radii of the ellipse in pixels. */
  radiusX?: number
  radiusY?: number
  /** Grey levels added at the centre, fading smoothly to 0 at the ellipse's edge. */
  strength?: number
}

/** A bright additive elliptical blob, like a lamp reflected in a phone screen. */
export function glare(frame: Frame, options: GlareOptions = {}): Frame {
  const { width, height, data } = frame
  const { centerX = width * 0.45, centerY = height * 0.42, radiusX = width * 0.18, radiusY = height * 0.14, strength = 160 } = options
  const out = like(frame)
  out.data.set(data)
  const y0 = Math.max(0, Math.floor(centerY - radiusY))
  const y1 = Math.min(height - 1, Math.ceil(centerY + radiusY))
  const x0 = Math.max(0, Math.floor(centerX - radiusX))
  const x1 = Math.min(width - 1, Math.ceil(centerX + radiusX))
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const u = (x + 0.5 - centerX) / radiusX
      const v = (y + 0.5 - centerY) / radiusY
      const r2 = u * u + v * v
      if (r2 >= 1) continue
      const add = strength * (1 - r2) * (1 - r2)
      const p = (y * width + x) * 4
      out.data[p] = data[p]! + add
      out.data[p + 1] = data[p + 1]! + add
      out.data[p + 2] = data[p + 2]! + add
    }
  }
  return out
}

/** An empty frame of grey noise around `mean`. */
export function noiseFrame(random: Random, sigma = 20, mean = 128, width = FRAME_WIDTH, height = FRAME_HEIGHT): Frame {
  const flat: Frame = { data: new Uint8ClampedArray(width * height * 4), width, height }
  for (let p = 0; p < flat.data.length; p += 4) {
    flat.data[p] = flat.data[p + 1] = flat.data[p + 2] = mean
    flat.data[p + 3] = 255
  }
  return addNoise(flat, sigma, random)
}

/**
 * An empty frame like a wooden counter top under a lamp: brownish, with wavy grain lines, knots of
 * darker wood, a lighting gradient and a little sensor noise. Full of edges and no code.
 */
export function deskFrame(random: Random, width = FRAME_WIDTH, height = FRAME_HEIGHT): Frame {
  const frame: Frame = { data: new Uint8ClampedArray(width * height * 4), width, height }
  const phase = random() * 10
  const tilt = (random() - 0.5) * 0.3
  const knots = Array.from({ length: 3 }, () => ({ x: random() * width, y: random() * height, r: 15 + random() * 30 }))
  const normal = gaussian(random)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const warp = 6 * Math.sin(x / 90 + phase) + 3 * Math.sin(x / 23 + 2 * phase)
      const grain = Math.sin((y + tilt * x + warp) / 3.1) * 0.5 + Math.sin((y + tilt * x + warp) / 7.7 + phase) * 0.5
      let shade = 0.75 + 0.12 * grain + 0.15 * (1 - Math.hypot(x - width * 0.3, y - height * 0.2) / width)
      for (const knot of knots) {
        const d = Math.hypot(x - knot.x, (y - knot.y) * 1.8) / knot.r
        if (d < 1) shade -= 0.2 * (1 - d) * (0.6 + 0.4 * Math.sin(d * 12))
      }
      const n = normal() * 4
      const p = (y * width + x) * 4
      frame.data[p] = 185 * shade + n
      frame.data[p + 1] = 140 * shade + n
      frame.data[p + 2] = 95 * shade + n
      frame.data[p + 3] = 255
    }
  }
  return frame
}
