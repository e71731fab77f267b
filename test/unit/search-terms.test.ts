import { describe, expect, it } from 'vitest'
import { digitsOnly, foldForSearch } from '../../shared/text/normalize.ts'
import { customerSearchQuery, customerSearchTerms } from '../../shared/text/search-terms.ts'
import { maskEmail, maskPhone } from '../../shared/text/mask.ts'

describe('foldForSearch', () => {
  it('makes hiragana, katakana and half-width katakana equal', () => {
    expect(foldForSearch('ヤマダ')).toBe('やまだ')
    expect(foldForSearch('ﾔﾏﾀﾞ')).toBe('やまだ')
    expect(foldForSearch('やまだ')).toBe('やまだ')
  })

  it('folds full-width ASCII and case', () => {
    expect(foldForSearch('Ｍ０００１')).toBe('m0001')
    expect(digitsOnly('０９０-１２３４')).toBe('0901234')
  })
})

describe('customer search terms and queries', () => {
  const customer = {
    memberId: 'M0000042',
    displayName: '山田 太郎',
    nameKana: 'ヤマダ タロウ',
    phone: '090-1234-5678',
    email: 'Taro.Yamada@example.jp',
    tags: [],
    consent: { personalization: true },
    updatedAt: '2026-11-01T00:00:00Z',
  }

  it('indexes member number, name, reading with and without the space, phone and email', () => {
    const terms = customerSearchTerms(customer)
    for (const expected of ['m0000042', '0000042', '山田 太郎', '山田太郎', 'やまだ たろう', 'やまだたろう', '09012345678', '5678', 'taro.yamada@example.jp']) {
      expect(terms).toContain(expected)
    }
  })

  it('turns typed words into prefix phrases, folding them the same way', () => {
    expect(customerSearchQuery('ﾔﾏﾀﾞ')).toBe('"やまだ"*')
    expect(customerSearchQuery('山田 太')).toBe('"山田"* "太"*')
    expect(customerSearchQuery('090-1234')).toBe('"090 1234"*')
  })

  it('neutralises FTS5 syntax in what was typed', () => {
    expect(customerSearchQuery('"a" OR b*')).toBe('"a"* "or"* "b"*')
    expect(customerSearchQuery('  ')).toBeNull()
    expect(customerSearchQuery('***')).toBeNull()
  })

  it('masks contact details', () => {
    expect(maskPhone('090-1234-5678')).toBe('***-****-5678')
    expect(maskEmail('taro.yamada@example.jp')).toBe('t***@example.jp')
  })
})
