// Which character a keyboard-wedge scanner meant, from the physical key (`KeyboardEvent.code`)
// and Shift, read against the layout the scanner is set to. Neither the host's layout (JIS or
// US) nor the Japanese IME ("a" arriving as "あ") then changes what was scanned.

export type ScannerLayout = 'us' | 'jis'

type Pair = readonly [plain: string, shifted: string | null]

const letters: Record<string, Pair> = {}
for (let c = 65; c <= 90; c++) {
  const upper = String.fromCharCode(c)
  letters[`Key${upper}`] = [upper.toLowerCase(), upper]
}

const numpad: Record<string, Pair> = {
  NumpadDecimal: ['.', '.'],
  NumpadAdd: ['+', '+'],
  NumpadSubtract: ['-', '-'],
  NumpadMultiply: ['*', '*'],
  NumpadDivide: ['/', '/'],
  Space: [' ', ' '],
}
for (let d = 0; d <= 9; d++) numpad[`Numpad${d}`] = [String(d), String(d)]

const usShifted = ')!@#$%^&*('
const us: Record<string, Pair> = {
  ...letters,
  ...numpad,
  Minus: ['-', '_'],
  Equal: ['=', '+'],
  BracketLeft: ['[', '{'],
  BracketRight: [']', '}'],
  Backslash: ['\\', '|'],
  Semicolon: [';', ':'],
  Quote: ["'", '"'],
  Backquote: ['`', '~'],
  Comma: [',', '<'],
  Period: ['.', '>'],
  Slash: ['/', '?'],
}
for (let d = 0; d <= 9; d++) us[`Digit${d}`] = [String(d), usShifted[d]!]

// JIS keys by physical position: the key right of 0 is "-=", then "^~", "¥|"; "@`", "[{";
// ";+", ":*", "]}"; and "\_" left of right Shift.
const jisShifted: Record<number, string | null> = { 1: '!', 2: '"', 3: '#', 4: '$', 5: '%', 6: '&', 7: "'", 8: '(', 9: ')', 0: null }
const jis: Record<string, Pair> = {
  ...letters,
  ...numpad,
  Minus: ['-', '='],
  Equal: ['^', '~'],
  IntlYen: ['\\', '|'],
  BracketLeft: ['@', '`'],
  BracketRight: ['[', '{'],
  Semicolon: [';', '+'],
  Quote: [':', '*'],
  Backslash: [']', '}'],
  Comma: [',', '<'],
  Period: ['.', '>'],
  Slash: ['/', '?'],
  IntlRo: ['\\', '_'],
}
for (let d = 0; d <= 9; d++) jis[`Digit${d}`] = [String(d), jisShifted[d]!]

const layouts: Record<ScannerLayout, Record<string, Pair>> = { us, jis }

/** The character for a physical key, or null for keys that type none (Shift, Enter, F-keys…). */
export function charForKey(code: string, shift: boolean, layout: ScannerLayout): string | null {
  const pair = layouts[layout][code]
  if (!pair) return null
  return shift ? pair[1] : pair[0]
}

/**
 * What the wedge detector is fed for one key press: the scanner's character, or the name of a
 * key that types none ('Enter', 'Tab', 'Shift', ...). When the character the host produced is
 * one of the two this physical key types on the scanner's layout, it decides which (Shift may
 * arrive folded into the character); anything else (an IME's "あ", another host layout's
 * punctuation) is read from the physical key and Shift.
 */
export function wedgeKey(code: string, key: string, shift: boolean, layout: ScannerLayout): string {
  const pair = layouts[layout][code]
  if (!pair) return key
  if (key.length === 1 && (key === pair[0] || key === pair[1])) return key
  return shift ? (pair[1] ?? pair[0]) : pair[0]
}
