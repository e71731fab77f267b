// Member app QRs for tests: key pairs as the retailer's app would hold them, and signed tokens.
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose'

export type SigningKey = { kid: string; alg: 'EdDSA' | 'ES256'; privateKey: CryptoKey; publicJwk: JWK }

export async function signingKey(kid: string, alg: 'EdDSA' | 'ES256' = 'EdDSA'): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true, ...(alg === 'EdDSA' ? { crv: 'Ed25519' } : {}) })
  return { kid, alg, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg } }
}

/** A member's app QR: `{ sub, iat, exp, nbf? }` signed with `key`, times in seconds relative to `now`. */
export async function appQr(key: SigningKey, memberId: string, options: { now?: Date; expiresIn?: number; notBefore?: number } = {}): Promise<string> {
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000)
  const jwt = new SignJWT({ sub: memberId })
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' })
    .setIssuedAt(now)
    .setExpirationTime(now + (options.expiresIn ?? 60))
  if (options.notBefore !== undefined) jwt.setNotBefore(now + options.notBefore)
  return jwt.sign(key.privateKey)
}
