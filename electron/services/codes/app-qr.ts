// A member's app QR: a compact JWS verified offline against the configured JWKS (EdDSA or ES256,
// never `none`), with 60 s of clock leeway (profile-api.md "Member codes at the counter", row 1).
import { createLocalJWKSet, decodeProtectedHeader, errors, jwtVerify, type JSONWebKeySet } from 'jose'

import type { AppQrRefusal } from '../../../shared/views.ts'

export type { AppQrRefusal }

export type AppQrResult = { ok: true; memberId: string } | { ok: false; reason: AppQrRefusal; memberId: string | null }

const COMPACT_JWS = /^[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]+$/
const ALGORITHMS = ['EdDSA', 'Ed25519', 'ES256']
export const CLOCK_LEEWAY_SECONDS = 60

/** A compact JWS whose header is JSON naming an algorithm: the shape of an app QR (row 1). */
export function looksLikeJws(text: string): boolean {
  if (!COMPACT_JWS.test(text)) return false
  try {
    return typeof decodeProtectedHeader(text).alg === 'string'
  } catch {
    return false
  }
}

/** The `sub` of a JWS's payload without verifying it (to name the member in a refusal). */
function unverifiedSubject(text: string): string | null {
  try {
    const payload = JSON.parse(Buffer.from(text.split('.')[1]!, 'base64url').toString('utf8')) as { sub?: unknown }
    return typeof payload.sub === 'string' ? payload.sub : null
  } catch {
    return null
  }
}

export type AppQrVerifier = (text: string, now: Date) => Promise<AppQrResult>

export function createAppQrVerifier(jwks: JSONWebKeySet | undefined, memberPattern: RegExp): AppQrVerifier {
  const keys = jwks ? createLocalJWKSet(jwks) : null
  const kids = new Set((jwks?.keys ?? []).map((k) => k.kid).filter((k): k is string => typeof k === 'string'))
  return async (text, now) => {
    const claimed = unverifiedSubject(text)
    let header
    try {
      header = decodeProtectedHeader(text)
    } catch {
      return { ok: false, reason: 'malformed', memberId: claimed }
    }
    if (!keys) return { ok: false, reason: 'not_accepted', memberId: claimed }
    if (!header.alg || !ALGORITHMS.includes(header.alg)) return { ok: false, reason: 'bad_algorithm', memberId: claimed }
    if (typeof header.kid !== 'string' || !kids.has(header.kid)) return { ok: false, reason: 'unknown_key', memberId: claimed }
    try {
      const { payload } = await jwtVerify(text, keys, {
        algorithms: ALGORITHMS,
        clockTolerance: CLOCK_LEEWAY_SECONDS,
        currentDate: now,
        requiredClaims: ['sub', 'exp', 'iat'],
      })
      const memberId = payload.sub!
      if (!memberPattern.test(memberId)) return { ok: false, reason: 'not_a_member', memberId }
      return { ok: true, memberId }
    } catch (error) {
      if (error instanceof errors.JWTExpired) return { ok: false, reason: 'expired', memberId: claimed }
      if (error instanceof errors.JWTClaimValidationFailed && (error.claim === 'nbf' || error.claim === 'iat')) return { ok: false, reason: 'not_yet_valid', memberId: claimed }
      if (error instanceof errors.JWSSignatureVerificationFailed) return { ok: false, reason: 'bad_signature', memberId: claimed }
      if (error instanceof errors.JWKSNoMatchingKey) return { ok: false, reason: 'unknown_key', memberId: claimed }
      if (error instanceof errors.JOSEAlgNotAllowed) return { ok: false, reason: 'bad_algorithm', memberId: claimed }
      return { ok: false, reason: 'malformed', memberId: claimed }
    }
  }
}
