// The decode bench's frame sets: for one code, clean frames, camera-like frames (one distortion
// at a time, and all of them mixed as a phone camera at a counter would give) and empty frames.
// Deterministic for a given seed.
import type { BarcodeFormat, Frame } from '../../../renderer/src/scan/camera/decoder.ts'
import { addNoise, deskFrame, gaussianBlur, glare, lowContrast, noiseFrame, rotate, seededRandom } from './distort.ts'
import type { Random } from './distort.ts'
import { FRAME_HEIGHT, FRAME_WIDTH, jwsLikeText, renderCode } from './render.ts'

export type BenchCode = { label: string; format: BarcodeFormat; text: string }

export const BENCH_CODES: BenchCode[] = [
  { label: 'QR (JWS 190)', format: 'QRCode', text: jwsLikeText(190) },
  { label: 'EAN-13', format: 'EAN-13', text: '4901234567894' },
  { label: 'Code 128', format: 'Code128', text: 'M0000001' },
]

/** `clean`, the single distortions, `camera` (all mixed) and `empty`; `camera` is what the default is judged on. */
export type Category = 'clean' | 'blur' | 'noise' | 'rotation' | 'low-contrast' | 'glare' | 'camera' | 'empty'

export type LabelledFrame = { category: Category; frame: Frame; /** null: nothing should be read */ expected: string | null; note: string }

const between = (random: Random, low: number, high: number) => low + (high - low) * random()

/** The code drawn at a slightly random place and size, as a hand holds it in front of the camera. */
function placed(code: BenchCode, random: Random): Frame {
  const qr = code.format === 'QRCode'
  return renderCode(code.format, code.text, {
    moduleSize: qr ? between(random, 3.6, 5) : between(random, 2.6, 3.4),
    centerX: FRAME_WIDTH / 2 + between(random, -30, 30),
    centerY: FRAME_HEIGHT / 2 + between(random, -20, 20),
    background: Math.round(between(random, 90, 160)),
    light: Math.round(between(random, 215, 240)),
    dark: Math.round(between(random, 20, 45)),
  })
}

const signed = (random: Random, low: number, high: number) => (random() < 0.5 ? -1 : 1) * between(random, low, high)

function glareNearCentre(frame: Frame, random: Random, strength: number): Frame {
  return glare(frame, {
    centerX: FRAME_WIDTH / 2 + between(random, -80, 80),
    centerY: FRAME_HEIGHT / 2 + between(random, -60, 60),
    radiusX: between(random, 60, 130),
    radiusY: between(random, 40, 90),
    strength,
  })
}

/**
 * A phone-camera-like frame: tilted 3–10°, sometimes a glare blob (a lamp on a phone screen or
 * glossy label), optical blur σ 0.6–1.4 px, sometimes low contrast (under-exposure, worn print),
 * sensor noise σ 8–20 grey levels.
 */
function cameraLike(code: BenchCode, random: Random): { frame: Frame; note: string } {
  const angle = signed(random, 3, 10)
  const sigma = between(random, 0.6, 1.4)
  const noise = between(random, 8, 20)
  const withGlare = random() < 0.35
  const glareStrength = between(random, 60, 140)
  const withLowContrast = random() < 0.4
  const contrast = between(random, 0.4, 0.7)
  let frame = rotate(placed(code, random), angle)
  if (withGlare) frame = glareNearCentre(frame, random, glareStrength)
  frame = gaussianBlur(frame, sigma)
  if (withLowContrast) frame = lowContrast(frame, contrast)
  frame = addNoise(frame, noise, random)
  const note = [
    `rot ${angle.toFixed(1)}°`,
    `blur σ${sigma.toFixed(1)}`,
    withGlare ? `glare +${glareStrength.toFixed(0)}` : '',
    withLowContrast ? `contrast ×${contrast.toFixed(2)}` : '',
    `noise σ${noise.toFixed(0)}`,
  ]
  return { frame, note: note.filter(Boolean).join(', ') }
}

export type SetSizes = { clean: number; single: number; camera: number }

/** Frames for one code: `sizes.clean` clean, `sizes.single` of each single distortion, `sizes.camera` mixed. */
export function codeFrames(code: BenchCode, sizes: SetSizes = { clean: 8, single: 8, camera: 40 }, seed = 7): LabelledFrame[] {
  const random = seededRandom(seed)
  const out: LabelledFrame[] = []
  const push = (category: Category, frame: Frame, note: string) => out.push({ category, frame, expected: code.text, note })
  for (let i = 0; i < sizes.clean; i++) push('clean', placed(code, random), 'clean')
  for (let i = 0; i < sizes.single; i++) {
    const sigma = between(random, 0.8, 1.8)
    push('blur', gaussianBlur(placed(code, random), sigma), `blur σ${sigma.toFixed(1)}`)
  }
  for (let i = 0; i < sizes.single; i++) {
    const sigma = between(random, 8, 20)
    push('noise', addNoise(placed(code, random), sigma, random), `noise σ${sigma.toFixed(0)}`)
  }
  for (let i = 0; i < sizes.single; i++) {
    const angle = signed(random, 3, 10)
    push('rotation', rotate(placed(code, random), angle), `rot ${angle.toFixed(1)}°`)
  }
  for (let i = 0; i < sizes.single; i++) {
    const factor = between(random, 0.25, 0.5)
    push('low-contrast', lowContrast(placed(code, random), factor), `contrast ×${factor.toFixed(2)}`)
  }
  for (let i = 0; i < sizes.single; i++) {
    const strength = between(random, 80, 180)
    push('glare', glareNearCentre(placed(code, random), random, strength), `glare +${strength.toFixed(0)}`)
  }
  for (let i = 0; i < sizes.camera; i++) {
    const { frame, note } = cameraLike(code, random)
    push('camera', frame, note)
  }
  return out
}

/** Empty frames: half grey noise (σ 8–25), half desk texture (with sensor noise). */
export function emptyFrames(count = 20, seed = 11): LabelledFrame[] {
  const random = seededRandom(seed)
  return Array.from({ length: count }, (_, i) => {
    if (i % 2 === 0) {
      const sigma = between(random, 8, 25)
      return { category: 'empty' as const, frame: noiseFrame(random, sigma), expected: null, note: `noise σ${sigma.toFixed(0)}` }
    }
    return { category: 'empty' as const, frame: addNoise(deskFrame(random), between(random, 4, 12), random), expected: null, note: 'desk' }
  })
}
