import { describe, expect, it } from 'vitest'
import { charForKey, wedgeKey } from '../../shared/scan/keymap.ts'
import { WedgeDetector } from '../../shared/scan/wedge.ts'

describe('charForKey', () => {
  it('reads letters and digits the same on both layouts', () => {
    for (const layout of ['us', 'jis'] as const) {
      expect(charForKey('KeyM', true, layout)).toBe('M')
      expect(charForKey('KeyM', false, layout)).toBe('m')
      expect(charForKey('Digit7', false, layout)).toBe('7')
      expect(charForKey('Numpad4', false, layout)).toBe('4')
    }
  })

  it('reads the punctuation of each layout by physical key', () => {
    expect(charForKey('Digit2', true, 'us')).toBe('@')
    expect(charForKey('Digit2', true, 'jis')).toBe('"')
    expect(charForKey('BracketLeft', false, 'jis')).toBe('@')
    expect(charForKey('Quote', false, 'jis')).toBe(':')
    expect(charForKey('Quote', true, 'us')).toBe('"')
    expect(charForKey('Minus', true, 'us')).toBe('_')
    expect(charForKey('IntlRo', true, 'jis')).toBe('_')
    expect(charForKey('Minus', false, 'jis')).toBe('-')
  })

  it('reads a US scanner right on a JIS host, whatever the host made of the key', () => {
    // Shift+2 on a JIS host types '"'; the scanner (US) meant '@'.
    expect(wedgeKey('Digit2', '"', true, 'us')).toBe('@')
    // A capital that arrives without Shift (some hosts fold it into the character).
    expect(wedgeKey('KeyM', 'M', false, 'us')).toBe('M')
  })

  it('types nothing for keys that are not characters', () => {
    expect(charForKey('Enter', false, 'us')).toBeNull()
    expect(charForKey('ShiftLeft', true, 'jis')).toBeNull()
    expect(wedgeKey('Enter', 'Enter', false, 'us')).toBe('Enter')
  })
})

describe('a scan typed while the Japanese IME is on', () => {
  it('decodes the physical keys, not what the IME made of them', () => {
    // With the IME on, the page sees key "あ" (or "Process") for KeyA; the code is still KeyA.
    const presses: Array<[code: string, key: string, shift: boolean]> = [
      ['KeyM', 'Ｍ', true],
      ...[...'0000001'].map((d): [string, string, boolean] => [`Digit${d}`, '０', false]),
      ['Enter', 'Enter', false],
    ]
    const detector = new WedgeDetector()
    let step
    let t = 0
    for (const [code, key, shift] of presses) step = detector.push(wedgeKey(code, key, shift, 'us'), (t += 3))
    expect(step).toMatchObject({ kind: 'scan', text: 'M0000001' })
  })
})
