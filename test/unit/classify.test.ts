import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAppQrVerifier } from '../../electron/services/codes/app-qr.ts'
import { classifyScan, wholeTextPattern, type ClassifyContext } from '../../electron/services/codes/classify.ts'
import type { WritableDB } from '../../electron/services/db/handle.ts'
import { openDatabase } from '../../electron/services/db/open.ts'
import { applyPage } from '../../electron/services/sync/apply.ts'
import { adoptSource } from '../../electron/services/sync/sync-service.ts'
import { appQr, signingKey, type SigningKey } from '../support/app-qr.ts'
import { product, upsert } from '../support/fixtures.ts'

const NOW = new Date('2026-11-22T05:00:00Z')
let db: WritableDB
let key: SigningKey
let es256: SigningKey
let stranger: SigningKey
let context: ClassifyContext

beforeAll(async () => {
  db = openDatabase(':memory:')
  adoptSource(db, 'test')
  applyPage(
    db,
    [
      upsert('product', 'SKU-1', product('SKU-1', { barcodes: ['4901234567894', 'MSB-00042'] })),
      upsert('product', 'SKU-U', product('SKU-U', { barcodes: ['012345678905'] })),
      upsert('coupon', 'WELCOME10', { code: 'WELCOME10', title: '10% off', discount: { type: 'percent', value: 10 }, validFrom: '2026-01-01T00:00:00Z', validTo: '2027-01-01T00:00:00Z', stackable: false }),
    ],
    'c',
    1,
  )
  key = await signingKey('app-2026')
  es256 = await signingKey('app-ec', 'ES256')
  stranger = await signingKey('app-2026')
  const memberPattern = wholeTextPattern('^M[0-9]{7,15}$')
  context = {
    db,
    memberPattern,
    staffPattern: wholeTextPattern('^S[0-9]{4,8}$'),
    verifyAppQr: createAppQrVerifier({ keys: [key.publicJwk, es256.publicJwk] }, memberPattern),
    now: () => NOW,
  }
})
afterAll(() => db.close())

describe('member app QR (row 1)', () => {
  it('accepts a valid EdDSA and ES256 token, offline', async () => {
    expect(await classifyScan(context, await appQr(key, 'M0000001', { now: NOW }))).toMatchObject({ kind: 'member', memberId: 'M0000001', via: 'app_qr' })
    expect(await classifyScan(context, await appQr(es256, 'M0000002', { now: NOW }))).toMatchObject({ kind: 'member', memberId: 'M0000002' })
  })

  it('is about 190 characters long, as the counter expects', async () => {
    expect((await appQr(key, 'M0000001', { now: NOW })).length).toBeGreaterThan(150)
  })

  it('refuses an expired token, with 60 s of leeway', async () => {
    const old = new Date(NOW.getTime() - 200_000)
    expect(await classifyScan(context, await appQr(key, 'M0000001', { now: old, expiresIn: 60 }))).toMatchObject({ kind: 'member_refused', reason: 'expired', memberId: 'M0000001' })
    const justExpired = new Date(NOW.getTime() - 100_000)
    expect(await classifyScan(context, await appQr(key, 'M0000001', { now: justExpired, expiresIn: 50 }))).toMatchObject({ kind: 'member', memberId: 'M0000001' })
  })

  it('refuses a token not valid yet', async () => {
    expect(await classifyScan(context, await appQr(key, 'M0000001', { now: NOW, notBefore: 300, expiresIn: 600 }))).toMatchObject({ kind: 'member_refused', reason: 'not_yet_valid' })
  })

  it('refuses a token signed by a key with a known kid but another secret', async () => {
    expect(await classifyScan(context, await appQr(stranger, 'M0000001', { now: NOW }))).toMatchObject({ kind: 'member_refused', reason: 'bad_signature' })
  })

  it('refuses a token whose kid is unknown', async () => {
    const other = await signingKey('someone-else')
    expect(await classifyScan(context, await appQr(other, 'M0000001', { now: NOW }))).toMatchObject({ kind: 'member_refused', reason: 'unknown_key' })
  })

  it('refuses a tampered payload', async () => {
    const [header, , signature] = (await appQr(key, 'M0000001', { now: NOW })).split('.')
    const forged = Buffer.from(JSON.stringify({ sub: 'M0000009', iat: NOW.getTime() / 1000, exp: NOW.getTime() / 1000 + 60 })).toString('base64url')
    expect(await classifyScan(context, `${header}.${forged}.${signature}`)).toMatchObject({ kind: 'member_refused', reason: 'bad_signature' })
  })

  it('never accepts alg none', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none', kid: 'app-2026' })).toString('base64url')
    const payload = Buffer.from(JSON.stringify({ sub: 'M0000001', iat: 1, exp: 9999999999 })).toString('base64url')
    expect(await classifyScan(context, `${header}.${payload}.AA`)).toMatchObject({ kind: 'member_refused', reason: 'bad_algorithm' })
  })

  it('refuses every app QR where no JWKS is configured', async () => {
    const noKeys = { ...context, verifyAppQr: createAppQrVerifier(undefined, context.memberPattern) }
    expect(await classifyScan(noKeys, await appQr(key, 'M0000001', { now: NOW }))).toMatchObject({ kind: 'member_refused', reason: 'not_accepted' })
  })

  it('asks for a rescan when the token was cut short', async () => {
    const token = await appQr(key, 'M0000001', { now: NOW })
    expect(await classifyScan(context, token.slice(0, 120))).toMatchObject({ kind: 'partial', reason: 'cut_short' })
  })
})

describe('the other rows', () => {
  it.each([
    ['a staff badge', 'S1234', { kind: 'staff', staffId: 'S1234' }],
    ['a printed member card', 'M0000042', { kind: 'member', memberId: 'M0000042', via: 'card' }],
    ['a member card with an AIM prefix and a CR', ']C1M0000042\r', { kind: 'member', memberId: 'M0000042', symbology: ']C1' }],
    ['full-width digits', 'Ｍ０００００４２', { kind: 'member', memberId: 'M0000042' }],
    ['a coupon known to the cache', 'WELCOME10', { kind: 'coupon' }],
    ['a JAN known to the cache', '4901234567894', { kind: 'product', product: expect.objectContaining({ sku: 'SKU-1' }) }],
    ['an in-house code known to the cache', 'MSB-00042', { kind: 'product', product: expect.objectContaining({ sku: 'SKU-1' }) }],
    ['the EAN-13 form of a UPC-A in the cache', '0012345678905', { kind: 'product', product: expect.objectContaining({ sku: 'SKU-U' }) }],
    ['a valid JAN not in the cache', '4912345678904', { kind: 'product', product: null }],
    ['two member cards run together', 'M0000001M0000002', { kind: 'partial', reason: 'two_codes' }],
    ['a JAN with a wrong check digit', '4901234567895', { kind: 'unknown' }],
    ['anything else', 'hello world', { kind: 'unknown' }],
    ['nothing but control characters', '\u0002\r\n', { kind: 'unknown' }],
  ])('classifies %s', async (_label, text, expected) => {
    expect(await classifyScan(context, text)).toMatchObject(expected)
  })
})

describe('fuzz', () => {
  it('never throws and never calls random text a member or an app QR', async () => {
    let seed = 7
    const random = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32)
    const alphabet = 'AMSaeyJ0123456789.-_=+/]\u0002\r\n ＭＳ０１あ漢'
    for (let i = 0; i < 5000; i++) {
      const length = Math.floor(random() * 220)
      let text = ''
      for (let j = 0; j < length; j++) text += alphabet[Math.floor(random() * alphabet.length)]
      const result = await classifyScan(context, text)
      expect(['member', 'member_refused', 'staff', 'coupon', 'product', 'partial', 'unknown']).toContain(result.kind)
      if (result.kind === 'member') expect(context.memberPattern.test(result.memberId)).toBe(true)
      if (result.kind === 'member' && result.via === 'app_qr') throw new Error(`random text accepted as an app QR: ${text}`)
    }
    for (let i = 0; i < 2000; i++) {
      const bytes = new Uint8Array(Math.floor(random() * 300)).map(() => Math.floor(random() * 256))
      const result = await classifyScan(context, new TextDecoder().decode(bytes))
      expect(result.kind).not.toBe('member_refused_unexpected')
    }
  })
})
