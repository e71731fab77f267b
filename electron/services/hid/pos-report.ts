// Input reports of USB HID point-of-sale scanners (usage page 0x8C) turned into scanned text.
// Pure: bytes in, text out, no I/O and no timers, so the decoding is tested without a device.
//
// node-hid hands over each input report as it came off the wire; numbered reports keep their
// report id as byte 0, unnumbered ones start with the payload. So every layout is tried on the
// report with its first byte taken as a report id and on the whole report, and the first
// reading that is structurally sound wins. What makes a reading sound: the data region holds
// no NUL and everything between it and the trailer is NUL. Real reports always satisfy this
// (text has no NUL, padding is NUL); noise almost never does. "body" below is the report
// without its report id.
//
// Layouts (byte offsets within the body; a 64-byte report is a 63-byte body):
//  'length'        The vendor "HID POS" layout with the identifier inline (documented for
//                  Newland-type engines, e.g. the Qu-R manual): [0] data length L, [1..L] data
//                  (an AIM identifier such as `]E0` as its first three bytes when enabled),
//                  NUL padding, and a three-byte trailer (reserved, vendor symbology id, flags).
//                  Data must end before the trailer: a report filled to its last byte (no flag
//                  byte, as Microscan's report id 1 format) is not read.
//  'length-aim'    Honeywell and Access-IS "HID POS" (recorded: report id 0x02, [0] L = data
//                  bytes after the identifier, [1..3] AIM identifier repeated in every report
//                  of a long code, [4..4+L) data (56 max), NUL padding, the same trailer).
//  'scanned-data'  The Scanned Data Report of the HID Point of Sale Usage Tables 1.02:
//                  Symbology Identifier 1..3 (AIM, or NUL when the scanner sends none), then
//                  Decoded Data, NUL padded, and a last byte holding Decoded Data Continued.
// In all three the last byte's bit 0 means "more data follows in the next report".
//
// 'length' is tried before 'length-aim' because its reading of a 'length-aim' report needs the
// last three data bytes to be NUL, which text never is; the other way round both would match.

export type PosScan = { text: string; symbology: string | null }
export type PosPartial = { partial: true }
export type PosLayout = 'length' | 'length-aim' | 'scanned-data'

/** One report's share of a code; a long code is several fragments with `more` on all but the last. */
export type PosFragment = { layout: PosLayout; symbology: string | null; data: Uint8Array; more: boolean }

const TRAILER = 3
/** A code this long is not a barcode being reassembled but a stuck continuation flag. */
const MAX_CODE_BYTES = 8192
const utf8 = new TextDecoder('utf-8')

/** `]` + symbology letter + modifier, as in scan-text.ts's AIM_PREFIX. */
function isAim(a: number | undefined, b: number | undefined, c: number | undefined): boolean {
  const letter = b !== undefined && ((b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a))
  const modifier = c !== undefined && ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a))
  return a === 0x5d && letter && modifier
}

function allZero(bytes: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (bytes[i] !== 0) return false
  return true
}

/** Data in [start, start+length) followed by NUL up to the trailer; null if that is not what the body holds. */
function lengthData(body: Uint8Array, start: number, length: number): Uint8Array | null {
  const end = start + length
  if (length === 0 || end > body.length - TRAILER) return null
  const data = body.subarray(start, end)
  if (data.includes(0) || !allZero(body, end, body.length - TRAILER)) return null
  return data
}

function readLength(body: Uint8Array, more: boolean): PosFragment | null {
  const data = lengthData(body, 1, body[0]!)
  return data && { layout: 'length', symbology: null, data, more }
}

function readLengthAim(body: Uint8Array, more: boolean): PosFragment | null {
  const hasAim = isAim(body[1], body[2], body[3])
  if (!hasAim && !allZero(body, 1, 4)) return null
  const data = lengthData(body, 4, body[0]!)
  return data && { layout: 'length-aim', symbology: hasAim ? aimText(body, 1) : null, data, more }
}

function readScannedData(body: Uint8Array, more: boolean): PosFragment | null {
  const idSent = isAim(body[0], body[1], body[2])
  if (!idSent && !allZero(body, 0, 3)) return null
  const region = body.subarray(3, body.length - 1)
  const nul = region.indexOf(0)
  const end = nul === -1 ? region.length : nul
  if (end === 0 || !allZero(region, end, region.length)) return null
  return { layout: 'scanned-data', symbology: idSent ? aimText(body, 0) : null, data: region.subarray(0, end), more }
}

const READERS = [readLength, readLengthAim, readScannedData]

function aimText(body: Uint8Array, at: number): string {
  return String.fromCharCode(body[at]!, body[at + 1]!, body[at + 2]!)
}

/** The share of a code one input report carries, or null when it is not a scanned-data report. */
export function parsePosReport(report: Uint8Array): PosFragment | null {
  try {
    // Layout first, framing second: a report without an id whose inline AIM looks like a
    // Scanned Data Report once its length byte is taken for an id still reads as 'length'.
    const bodies = report.length > 1 && report[0] !== 0 ? [report.subarray(1), report] : [report]
    for (const read of READERS) {
      for (const body of bodies) {
        if (body.length < 5) continue
        const fragment = read(body, (body[body.length - 1]! & 1) === 1)
        if (fragment) return fragment
      }
    }
    return null
  } catch {
    // Nothing above should throw; a device's bytes must never take the scanner down regardless.
    return null
  }
}

/** C0, DEL and C1 controls, as scan-text.ts strips them. */
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]+/g

/**
 * The text of a whole code. UTF-8 (an app QR with Japanese in it; bad sequences become U+FFFD,
 * never an exception). A run of control characters inside the text (a GS1 group separator, a
 * CR between lines) becomes one space so the pieces stay apart; at the ends it is dropped.
 */
export function scanFromFragments(fragments: readonly PosFragment[]): PosScan | null {
  const first = fragments[0]
  if (!first) return null
  const bytes = new Uint8Array(fragments.reduce((n, f) => n + f.data.length, 0))
  let at = 0
  for (const f of fragments) {
    bytes.set(f.data, at)
    at += f.data.length
  }
  let text = utf8.decode(bytes).replace(CONTROLS, ' ').trim()
  let symbology = first.symbology
  if (symbology === null && /^\][A-Za-z][0-9A-Za-z]/.test(text)) {
    symbology = text.slice(0, 3)
    text = text.slice(3).trim()
  }
  return text === '' ? null : { text, symbology }
}

/** One report on its own: a whole code, `{ partial: true }` when it announces more to come, or null. */
export function decodePosReport(report: Uint8Array): PosScan | PosPartial | null {
  const fragment = parsePosReport(report)
  if (!fragment) return null
  return fragment.more ? { partial: true } : scanFromFragments([fragment])
}

/**
 * Joins the reports of long codes. Time comes in with each call (no timers here): a
 * continuation that has not arrived `gapMs` after the previous report is taken as lost and
 * reported as partial, so the counter can ask for a rescan instead of waiting forever.
 * Reports carry no "first piece" marker, so a new code that arrives inside the gap is joined
 * to the pending one; classify.ts refuses such a text as two codes run together.
 */
export class PosReportAssembler {
  readonly gapMs: number
  #fragments: PosFragment[] = []
  #bytes = 0
  #lastAt = 0

  constructor(options: { gapMs?: number } = {}) {
    this.gapMs = options.gapMs ?? 300
  }

  /** True while a code's continuation is awaited (the caller then calls expire() after gapMs). */
  get pending(): boolean {
    return this.#fragments.length > 0
  }

  /** Feed one input report; answers what it completed, usually nothing or one scan. */
  push(report: Uint8Array, now: number): Array<PosScan | PosPartial> {
    const out: Array<PosScan | PosPartial> = []
    const lost = this.expire(now)
    if (lost) out.push(lost)
    const fragment = parsePosReport(report)
    if (!fragment) return out
    this.#fragments.push(fragment)
    this.#bytes += fragment.data.length
    this.#lastAt = now
    if (fragment.more) {
      if (this.#bytes > MAX_CODE_BYTES) {
        out.push({ partial: true })
        this.reset()
      }
      return out
    }
    const scan = scanFromFragments(this.#fragments)
    this.reset()
    if (scan) out.push(scan)
    return out
  }

  /** A partial read when the awaited continuation is overdue at `now`, else null. */
  expire(now: number): PosPartial | null {
    if (!this.pending || !(now - this.#lastAt >= this.gapMs)) return null
    this.reset()
    return { partial: true }
  }

  /** Forget a half-received code (the device went away). */
  reset(): void {
    this.#fragments = []
    this.#bytes = 0
  }
}
