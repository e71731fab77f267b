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
