// The audit log's details as a manager reads them, with the app's real Japanese and English messages.
import { createI18n } from 'vue-i18n'
import { describe, expect, it } from 'vitest'
import { auditDetail, type Messages } from '../../renderer/src/audit-detail.ts'
import { en } from '../../renderer/src/i18n/en.ts'
import { ja } from '../../renderer/src/i18n/ja.ts'

function messages(locale: 'ja' | 'en'): Messages {
  const i18n = createI18n({ legacy: false, locale, messages: { ja, en }, missingWarn: false, fallbackWarn: false })
  return { t: (key) => i18n.global.t(key), te: (key) => i18n.global.te(key) }
}

describe('audit details', () => {
  it('labels each recorded field and reads the words the services write', () => {
    const ja = messages('ja')
    expect(auditDetail('{"reason":"idle"}', ja)).toEqual([['理由', '無操作でロック']])
    expect(auditDetail('{"role":"associate"}', ja)).toEqual([['役割', '販売員']])
    expect(auditDetail('{"code":"wrong_pin"}', ja)).toEqual([['結果', 'スタッフIDまたはPINが違います。']])
    expect(auditDetail('{"memberId":"M0000001","total":16990,"lines":3,"coupons":["WELCOME500"]}', ja)).toEqual([
      ['会員', 'M0000001'],
      ['合計', '¥16,990'],
      ['明細', '3'],
      ['クーポン', 'WELCOME500'],
    ])
    expect(auditDetail('{"total":1490,"lines":[{"sku":"SKU-1","qty":2},{"sku":"SKU-2","qty":1}],"coupons":[]}', messages('en'))).toEqual([
      ['Total', '¥1,490'],
      ['Lines', 'SKU-1 ×2, SKU-2 ×1'],
      ['Coupons', '—'],
    ])
  })

  it('keeps a manager’s own words, unknown fields and anything that is not a JSON object as recorded', () => {
    const ja = messages('ja')
    expect(auditDetail('{"reason":"本部で手入力済み"}', ja)).toEqual([['理由', '本部で手入力済み']])
    expect(auditDetail('{"shelf":"A-3","memberId":null}', ja)).toEqual([
      ['shelf', 'A-3'],
      ['会員', '—'],
    ])
    expect(auditDetail('not json', ja)).toEqual([['', 'not json']])
    expect(auditDetail('[1,2]', ja)).toEqual([['', '[1,2]']])
    expect(auditDetail(null, ja)).toEqual([])
  })
})
