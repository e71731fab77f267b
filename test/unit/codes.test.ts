import { describe, expect, it } from 'vitest'
import { canonicalGtin, gtinCheckDigit, isValidGtin } from '../../shared/codes/gtin.ts'
import { normalizeScanText } from '../../shared/codes/scan-text.ts'

describe('GTIN check digits', () => {
  it('computes the GS1 check digit', () => {
    expect(gtinCheckDigit('490123456789')).toBe(4)
    expect(gtinCheckDigit('01234567890')).toBe(5)
    expect(gtinCheckDigit('9638507')).toBe(4)
  })

  it('validates EAN-13, UPC-A and EAN-8 and rejects others', () => {
    expect(isValidGtin('4901234567894')).toBe(true)
    expect(isValidGtin('4901234567895')).toBe(false)
    expect(isValidGtin('012345678905')).toBe(true)
    expect(isValidGtin('96385074')).toBe(true)
    expect(isValidGtin('96385075')).toBe(false)
    expect(isValidGtin('12345')).toBe(false)
    expect(isValidGtin('49012345678a')).toBe(false)
  })

  it('treats UPC-A and its EAN-13 form as one code', () => {
    expect(canonicalGtin('012345678905')).toBe('0012345678905')
    expect(canonicalGtin('0012345678905')).toBe('0012345678905')
  })
})

describe('normalizeScanText', () => {
  it('strips control characters and surrounding space', () => {
    expect(normalizeScanText('\u0002 M0000001\r\n')).toEqual({ text: 'M0000001', symbology: null })
  })

  it('turns full-width ASCII into half-width', () => {
    expect(normalizeScanText('Ｍ０００００１２').text).toBe('M0000012')
  })

  it('strips and keeps an AIM symbology identifier', () => {
    expect(normalizeScanText(']E04901234567894')).toEqual({ text: '4901234567894', symbology: ']E0' })
    expect(normalizeScanText(']Q1M0000001')).toEqual({ text: 'M0000001', symbology: ']Q1' })
  })
})
