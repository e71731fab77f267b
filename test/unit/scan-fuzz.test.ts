// Random input to the pure scanning parsers: nothing throws, and what comes out keeps its promises.
import { describe, expect, it } from 'vitest'
import { normalizeScanText } from '../../shared/codes/scan-text.ts'
import { wedgeKey } from '../../shared/scan/keymap.ts'
import { WedgeDetector } from '../../shared/scan/wedge.ts'

function seeded(seed: number): () => number {
  return () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32)
}

function randomText(random: () => number, max: number): string {
  let text = ''
  const length = Math.floor(random() * max)
  for (let i = 0; i < length; i++) {
    const pick = random()
    const code = pick < 0.6 ? 0x20 + Math.floor(random() * 0x5f) : pick < 0.75 ? Math.floor(random() * 0x20) : pick < 0.9 ? 0xff01 + Math.floor(random() * 0x5e) : 0x3040 + Math.floor(random() * 0x6000)
    text += String.fromCodePoint(code)
  }
  return text
}

describe('fuzz', () => {
  it('normalizeScanText never throws and never leaves control characters or surrounding space', () => {
    const random = seeded(1)
    for (let i = 0; i < 20_000; i++) {
      const { text, symbology } = normalizeScanText(randomText(random, 80))
      expect(text).not.toMatch(/[\u0000-\u001f\u007f]/)
      expect(text).toBe(text.trim())
      expect(text).not.toMatch(/[\uff01-\uff5e]/)
      if (symbology !== null) expect(symbology).toMatch(/^\][A-Za-z][0-9A-Za-z]$/)
    }
  })

  it('the wedge detector never throws and only reports scans of scanner-fast bursts', () => {
    const random = seeded(2)
    const codes = ['KeyA', 'KeyM', 'Digit1', 'Digit0', 'Minus', 'Quote', 'IntlRo', 'Enter', 'Tab', 'ShiftLeft', 'ArrowLeft', 'Numpad5', 'F2', 'Space']
    const keys = ['a', 'M', '1', '0', '-', "'", 'Enter', 'Tab', 'Shift', 'ArrowLeft', 'Process', 'あ', 'F2', ' ']
    for (const layout of ['us', 'jis'] as const) {
      const detector = new WedgeDetector()
      let t = 0
      for (let i = 0; i < 50_000; i++) {
        t += random() < 0.5 ? random() * 10 : random() * 300
        const step = detector.push(wedgeKey(codes[Math.floor(random() * codes.length)]!, keys[Math.floor(random() * keys.length)]!, random() < 0.3, layout), t)
        if (step.kind === 'scan') {
          expect(step.text.length).toBeGreaterThanOrEqual(4)
          expect(step.durationMs / step.text.length).toBeLessThanOrEqual(25)
        }
        if (random() < 0.01) detector.flush(t + random() * 500)
      }
    }
  })
})
