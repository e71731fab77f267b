// GTIN arithmetic: JAN / EAN-13, EAN-8, UPC-A (GS1 mod-10 check digit).

/** The GS1 check digit for the digits before it (any length). */
export function gtinCheckDigit(body: string): number {
  let sum = 0
  for (let i = 0; i < body.length; i++) {
    const digit = body.charCodeAt(body.length - 1 - i) - 48
    sum += i % 2 === 0 ? digit * 3 : digit
  }
  return (10 - (sum % 10)) % 10
}

/** True for an 8, 12 or 13 digit code whose last digit is its check digit. */
export function isValidGtin(code: string): boolean {
  if (!/^(\d{8}|\d{12}|\d{13})$/.test(code)) return false
  return gtinCheckDigit(code.slice(0, -1)) === code.charCodeAt(code.length - 1) - 48
}

/**
 * One canonical form per product: UPC-A `012345678905` and EAN-13 `0012345678905` are the
 * same item, so both become the 13-digit form. EAN-8 stays as it is (a different number space).
 */
export function canonicalGtin(code: string): string {
  return code.length === 12 ? '0' + code : code
}
