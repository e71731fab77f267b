// Text folding for search at the counter: full- and half-width forms, hiragana and katakana,
// and letter case all compare equal ("ﾔﾏﾀﾞ", "ヤマダ" and "やまだ" are one reading).

const KATAKANA_START = 0x30a1
const KATAKANA_END = 0x30f6
const KANA_OFFSET = 0x60

/** NFKC (half-width kana and full-width ASCII to their usual forms), katakana to hiragana, lower case. */
export function foldForSearch(text: string): string {
  const nfkc = text.normalize('NFKC').toLowerCase()
  let out = ''
  for (const ch of nfkc) {
    const code = ch.codePointAt(0)!
    out += code >= KATAKANA_START && code <= KATAKANA_END ? String.fromCodePoint(code - KANA_OFFSET) : ch
  }
  return out
}

export function digitsOnly(text: string): string {
  return text.normalize('NFKC').replace(/\D+/g, '')
}
