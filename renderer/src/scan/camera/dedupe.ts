// "The same code is not read twice in a row within 2 s": a camera sees the code it just read on
// the next frames too. Pure; the caller supplies the clock.

/**
 * Returns `accept(text, nowMs)`: true when this read should count. A read is refused when it is
 * the same text as the last accepted one and came less than `windowMs` after the last sighting
 * of that code, so a code held in front of the camera counts once, however long it stays there.
 * Another code in between resets it: A, B, A counts three times.
 */
export function createDedupe(windowMs = 2000): (text: string, nowMs: number) => boolean {
  let lastText: string | null = null
  let lastSeenMs = Number.NEGATIVE_INFINITY
  return (text, nowMs) => {
    const repeat = text === lastText && nowMs - lastSeenMs < windowMs
    lastText = text
    lastSeenMs = nowMs
    return !repeat
  }
}

/**
 * Returns `confirmed(text, nowMs)`: true once `text` has been read in `reads` frames within
 * `withinMs` (counting this one). For EAN/UPC and Code 128 from a camera: their only guard is a
 * check digit, and on noisy frames both decoders now and then read a wrong number (the decode
 * bench shows ~1–2% of hard 1D frames); a misread seldom comes twice. QR codes carry Reed–Solomon
 * error correction and need no confirmation. Pure; the caller supplies the clock.
 */
export function createConfirmation(reads = 2, withinMs = 600): (text: string, nowMs: number) => boolean {
  const seen = new Map<string, number[]>()
  return (text, nowMs) => {
    for (const [key, times] of seen) {
      const recent = times.filter((t) => nowMs - t < withinMs)
      if (recent.length === 0) seen.delete(key)
      else seen.set(key, recent)
    }
    const times = [...(seen.get(text) ?? []), nowMs]
    seen.set(text, times)
    return times.length >= reads
  }
}
