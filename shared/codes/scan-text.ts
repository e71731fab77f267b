// What a scanner sent, cleaned before it is matched (profile-api.md "Member codes at the
// counter"): surrounding whitespace and control characters removed, full-width ASCII made
// half-width, an AIM symbology identifier (`]E0`, `]C1`, `]Q1`, ...) stripped and kept.

export type ScanText = { text: string; symbology: string | null }

const AIM_PREFIX = /^\][A-Za-z][0-9A-Za-z]/

export function normalizeScanText(raw: string): ScanText {
  let text = ''
  for (const ch of raw) {
    const code = ch.codePointAt(0)!
    if (code < 0x20 || (code >= 0x7f && code < 0xa0)) continue
    // Full-width ASCII (U+FF01..U+FF5E) and the ideographic space.
    if (code >= 0xff01 && code <= 0xff5e) text += String.fromCodePoint(code - 0xfee0)
    else if (code === 0x3000) text += ' '
    else text += ch
  }
  text = text.trim()
  let symbology: string | null = null
  const aim = AIM_PREFIX.exec(text)
  if (aim) {
    symbology = aim[0]
    text = text.slice(3).trim()
  }
  return { text, symbology }
}
