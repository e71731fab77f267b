import { describe, expect, it } from 'vitest'
import { PosReportAssembler, decodePosReport, parsePosReport, type PosPartial, type PosScan } from '../../electron/services/hid/pos-report.ts'
import { prng } from '../support/random.ts'

// Reports are built the way the devices send them: 64 bytes with report id 0x02 (63 without).
const utf8 = (text: string) => new TextEncoder().encode(text)

function report(id: boolean, fill: (body: Uint8Array) => void): Uint8Array {
  const body = new Uint8Array(63)
  fill(body)
  return id ? Uint8Array.of(0x02, ...body) : body
}

/** Honeywell / Access-IS: length, AIM, data (56 max), vendor code id, reserved, flags. */
function lengthAim(aim: string, chunk: Uint8Array, more: boolean, id = true): Uint8Array {
  return report(id, (b) => {
    b[0] = chunk.length
    b.set(utf8(aim), 1)
    b.set(chunk, 4)
    b[60] = 0x64 // Honeywell code id, ignored
    b[62] = more ? 1 : 0
  })
}

/** Newland-style / vendor "HID POS": length, data with the AIM inline, reserved, symbology id, flags. */
function lengthInline(chunk: Uint8Array, more: boolean, id = true): Uint8Array {
  return report(id, (b) => {
    b[0] = chunk.length
    b.set(chunk, 1)
    b[61] = 0x73
    b[62] = more ? 1 : 0
  })
}

/** HID POS Usage Tables Scanned Data Report: symbology identifier 1..3, decoded data, continued bit. */
function scannedData(aim: string, chunk: Uint8Array, more: boolean, id = true): Uint8Array {
  return report(id, (b) => {
    if (aim) b.set(utf8(aim), 0)
    b.set(chunk, 3)
    b[62] = more ? 1 : 0
  })
}

function chunks(bytes: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = []
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size))
  return out
}

/** All results of feeding the reports 5 ms apart. */
function assemble(reports: Uint8Array[], assembler = new PosReportAssembler()): Array<PosScan | PosPartial> {
  return reports.flatMap((r, i) => assembler.push(r, 1000 + i * 5))
}

// A member's app QR: a compact EdDSA JWS of 190 characters.
const header = 'eyJhbGciOiJFZERTQSIsImtpZCI6ImFwcC0yMDI2In0'
const payload = 'eyJzdWIiOiJNMDAwMDAwMSIsImlhdCI6MTc2NzIyNTYwMCwiZXhwIjoxNzY3MjI1OTAwfQ'
const signature = 'x'.repeat(190 - header.length - payload.length - 2)
const JWS = `${header}.${payload}.${signature}`

describe('decodePosReport: one report', () => {
  it('reads an EAN-13 in the Honeywell layout, with and without report id', () => {
    for (const id of [true, false]) {
      expect(decodePosReport(lengthAim(']E0', utf8('4901234567894'), false, id))).toEqual({ text: '4901234567894', symbology: ']E0' })
    }
  })

  it('reads a Code 128 member card with its AIM identifier inline, with and without report id', () => {
    for (const id of [true, false]) {
      expect(decodePosReport(lengthInline(utf8(']C1M0000001'), false, id))).toEqual({ text: 'M0000001', symbology: ']C1' })
    }
  })

  it('reads the Usage Tables Scanned Data Report, with and without report id', () => {
    for (const id of [true, false]) {
      expect(parsePosReport(scannedData(']E0', utf8('4901234567894'), false, id))).toMatchObject({ layout: 'scanned-data', more: false })
      expect(decodePosReport(scannedData(']E0', utf8('4901234567894'), false, id))).toEqual({ text: '4901234567894', symbology: ']E0' })
    }
  })

  it('answers a null symbology when the scanner sends no identifier', () => {
    expect(decodePosReport(scannedData('', utf8('M0000001'), false))).toEqual({ text: 'M0000001', symbology: null })
    expect(decodePosReport(lengthInline(utf8('M0000001'), false))).toEqual({ text: 'M0000001', symbology: null })
    expect(decodePosReport(lengthAim('\0\0\0', utf8('M0000001'), false))).toEqual({ text: 'M0000001', symbology: null })
  })

  it('tells the layouts apart', () => {
    expect(parsePosReport(lengthAim(']E0', utf8('4901234567894'), false))?.layout).toBe('length-aim')
    expect(parsePosReport(lengthInline(utf8(']E04901234567894'), false))?.layout).toBe('length')
    expect(parsePosReport(lengthInline(utf8(']E04901234567894'), false, false))?.layout).toBe('length')
  })

  it('strips a suffix and turns inner control characters into one separator', () => {
    expect(decodePosReport(lengthInline(utf8(']C1M0000001\r\n'), false))).toEqual({ text: 'M0000001', symbology: ']C1' })
    expect(decodePosReport(lengthAim(']C1', utf8('0104901234567894\x1d10ABC'), false))).toEqual({
      text: '0104901234567894 10ABC',
      symbology: ']C1',
    })
  })

  it('says partial for a report that announces a continuation', () => {
    expect(decodePosReport(lengthAim(']Q1', utf8(JWS).subarray(0, 56), true))).toEqual({ partial: true })
  })

  it('answers null for reports that are not scanned data', () => {
    expect(decodePosReport(new Uint8Array(0))).toBeNull()
    expect(decodePosReport(Uint8Array.of(0x02))).toBeNull()
    expect(decodePosReport(new Uint8Array(64))).toBeNull()
    expect(decodePosReport(Uint8Array.of(0x02, ...new Uint8Array(63)))).toBeNull()
    // A length running past the report.
    expect(decodePosReport(report(true, (b) => { b[0] = 200; b.fill(0x41, 1, 60) }))).toBeNull()
    // Only control characters.
    expect(decodePosReport(lengthInline(Uint8Array.of(0x0d, 0x0a), false))).toBeNull()
  })
})

describe('PosReportAssembler: long codes', () => {
  it('joins a 190-character app QR sent in the Honeywell layout (4 reports)', () => {
    const parts = chunks(utf8(JWS), 56)
    expect(parts).toHaveLength(4)
    const reports = parts.map((c, i) => lengthAim(']Q1', c, i < parts.length - 1))
    expect(assemble(reports)).toEqual([{ text: JWS, symbology: ']Q1' }])
  })

  it('joins it in the inline-AIM layout over 7 reports, without report id', () => {
    const parts = chunks(utf8(']Q1' + JWS), 28)
    expect(parts).toHaveLength(7)
    const reports = parts.map((c, i) => lengthInline(c, i < parts.length - 1, false))
    expect(assemble(reports)).toEqual([{ text: JWS, symbology: ']Q1' }])
  })

  it('joins it in the Scanned Data Report layout over 5 reports', () => {
    const parts = chunks(utf8(JWS), 40)
    const reports = parts.map((c, i) => scannedData(']Q1', c, i < parts.length - 1))
    expect(reports).toHaveLength(5)
    expect(assemble(reports)).toEqual([{ text: JWS, symbology: ']Q1' }])
  })

  it('keeps Japanese text whole when a character is split between reports', () => {
    const text = '会員番号 M0000001 山田花子 様'
    const bytes = utf8(text)
    const parts = [bytes.subarray(0, 10), bytes.subarray(10, 23), bytes.subarray(23)] // 10 and 23 fall inside characters
    expect(new TextDecoder().decode(parts[0])).toContain('\ufffd')
    const reports = parts.map((c, i) => lengthAim(']Q1', c, i < parts.length - 1))
    expect(assemble(reports)).toEqual([{ text, symbology: ']Q1' }])
  })

  it('ignores other reports between the pieces of a code', () => {
    const parts = chunks(utf8(JWS), 56).map((c, i, all) => lengthAim(']Q1', c, i < all.length - 1))
    const withNoise = [parts[0]!, new Uint8Array(64), parts[1]!, parts[2]!, Uint8Array.of(0x05, 0x01), parts[3]!]
    expect(assemble(withNoise)).toEqual([{ text: JWS, symbology: ']Q1' }])
  })

  it('reports a lost continuation as partial once the gap has passed', () => {
    const parts = chunks(utf8(JWS), 56).map((c, i, all) => lengthAim(']Q1', c, i < all.length - 1))
    const assembler = new PosReportAssembler({ gapMs: 300 })
    expect(assembler.push(parts[0]!, 1000)).toEqual([])
    expect(assembler.push(parts[1]!, 1008)).toEqual([])
    expect(assembler.pending).toBe(true)
    expect(assembler.expire(1200)).toBeNull()
    expect(assembler.expire(1308)).toEqual({ partial: true })
    expect(assembler.pending).toBe(false)
    expect(assembler.expire(5000)).toBeNull()
  })

  it('reports the lost code, then the next scan, when the next report comes late', () => {
    const assembler = new PosReportAssembler({ gapMs: 300 })
    assembler.push(lengthAim(']Q1', utf8(JWS).subarray(0, 56), true), 1000)
    expect(assembler.push(lengthAim(']E0', utf8('4901234567894'), false), 2000)).toEqual([
      { partial: true },
      { text: '4901234567894', symbology: ']E0' },
    ])
  })

  it('gives up on a continuation flag that never clears', () => {
    const assembler = new PosReportAssembler()
    const stuck = lengthAim(']Q1', new Uint8Array(56).fill(0x41), true)
    const results = Array.from({ length: 200 }, (_, i) => assembler.push(stuck, i)).flat()
    expect(results.length).toBeGreaterThan(0)
    expect(results.every((r) => 'partial' in r)).toBe(true)
  })

  it('passes single-report codes straight through', () => {
    const reports = [lengthAim(']E0', utf8('4901234567894'), false), lengthInline(utf8(']C1M0000001'), false)]
    expect(assemble(reports)).toEqual([
      { text: '4901234567894', symbology: ']E0' },
      { text: 'M0000001', symbology: ']C1' },
    ])
  })
})


function checkResult(result: PosScan | PosPartial | null): void {
  if (result === null || 'partial' in result) {
    if (result) expect(result).toEqual({ partial: true })
    return
  }
  expect(result.text).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/)
  expect(result.text).toBe(result.text.trim())
  expect(result.text.length).toBeGreaterThan(0)
  if (result.symbology !== null) expect(result.symbology).toMatch(/^\][A-Za-z][0-9A-Za-z]$/)
}

describe('decoding random bytes', () => {
  it('never throws and never answers control characters (20,000 reports, seeded)', () => {
    const random = prng(0x8c)
    const byte = () => Math.floor(random() * 256)
    const valid = [lengthAim(']E0', utf8('4901234567894'), false), lengthInline(utf8(']Q1' + JWS.slice(0, 50)), true), scannedData(']C1', utf8('M0000001'), false)]
    const assembler = new PosReportAssembler()
    let now = 0
    let scans = 0
    for (let i = 0; i < 20_000; i++) {
      let bytes: Uint8Array
      const kind = random()
      if (kind < 0.5) {
        bytes = Uint8Array.from({ length: Math.floor(random() * 130) }, byte)
      } else {
        // A real report with a few bytes flipped or cut: reaches the deeper paths.
        bytes = valid[i % valid.length]!.slice(0, kind < 0.6 ? Math.floor(random() * 65) : 64)
        for (let flips = Math.floor(random() * 4); flips > 0; flips--) bytes[Math.floor(random() * bytes.length)] = byte()
        if (random() < 0.3) bytes[Math.floor(random() * bytes.length)] = random() < 0.5 ? 0x0d : 0x85
      }
      const result = decodePosReport(bytes)
      checkResult(result)
      if (result && 'text' in result) scans++
      now += Math.floor(random() * 400)
      for (const r of assembler.push(bytes, now)) checkResult(r)
      checkResult(assembler.expire(now + Math.floor(random() * 400)))
    }
    expect(scans).toBeGreaterThan(1000) // the mutated reports really were decoded
  })
})
