// Telling a keyboard-wedge scanner from a person: a scanner "types" a whole code in a burst far
// faster than anyone can, then its suffix key (Enter or Tab). Pure, so it runs in the renderer
// now and beside Electron's before-input-event later, and is tested with recorded timings.

export type WedgeOptions = {
  /** Longest pause between two keys of one scan. */
  maxGapMs: number
  /** A scan's keys come this fast on average; people type 60–200 ms apart. */
  maxMeanGapMs: number
  /** Shortest code accepted as a scan (shorter bursts are a person's key rollover). */
  minLength: number
  /** The key the scanner sends after the code. */
  suffix: 'Enter' | 'Tab'
  /** Characters the scanner sends before the code, stripped (configured per store). */
  prefix: string
}

export const defaultWedgeOptions: WedgeOptions = { maxGapMs: 50, maxMeanGapMs: 25, minLength: 4, suffix: 'Enter', prefix: '' }

export type WedgeStep =
  /** Not part of a scan as far as can be told yet. */
  | { kind: 'key'; startsBurst: boolean }
  /** The suffix key ended a burst: this was a scan. */
  | { kind: 'scan'; text: string; durationMs: number }
  /** The suffix key after ordinary typing: let it through. */
  | { kind: 'suffix' }

export class WedgeDetector {
  private readonly options: WedgeOptions
  private chars: string[] = []
  private times: number[] = []

  constructor(options: Partial<WedgeOptions> = {}) {
    this.options = { ...defaultWedgeOptions, ...options }
  }

  /** Feed one key (`KeyboardEvent.key`) and when it arrived (ms). */
  push(key: string, at: number): WedgeStep {
    const last = this.times[this.times.length - 1]
    if (key === this.options.suffix) {
      const step = this.finish(at)
      this.reset()
      return step
    }
    if ([...key].length !== 1) {
      // Shift, arrows and the like are not characters; a scanner sends none in a code.
      if (key !== 'Shift') this.reset()
      return { kind: 'key', startsBurst: false }
    }
    const startsBurst = last === undefined || at - last > this.options.maxGapMs
    if (startsBurst) this.reset()
    this.chars.push(key)
    this.times.push(at)
    return { kind: 'key', startsBurst }
  }

  /**
   * Called when no key came for a while: a scanner-fast burst that never got its suffix was a
   * scan whose end was lost (answers its text, to be refused with a rescan prompt); anything
   * else was a person typing (null).
   */
  flush(at: number): string | null {
    const n = this.chars.length
    const first = this.times[0]
    const last = this.times[n - 1]
    if (first === undefined || last === undefined || at - last <= this.options.maxGapMs) return null
    const burst = n >= Math.max(this.options.minLength, 6) && (last - first) / (n - 1) <= this.options.maxMeanGapMs
    const text = this.chars.join('')
    this.reset()
    return burst ? text : null
  }

  reset(): void {
    this.chars = []
    this.times = []
  }

  private finish(at: number): WedgeStep {
    const n = this.chars.length
    const first = this.times[0]
    const last = this.times[n - 1]
    if (first === undefined || last === undefined || n < this.options.minLength) return { kind: 'suffix' }
    if (at - last > this.options.maxGapMs) return { kind: 'suffix' }
    const meanGap = (at - first) / n
    if (meanGap > this.options.maxMeanGapMs) return { kind: 'suffix' }
    let text = this.chars.join('')
    if (this.options.prefix) {
      if (!text.startsWith(this.options.prefix)) return { kind: 'suffix' }
      text = text.slice(this.options.prefix.length)
    }
    return { kind: 'scan', text, durationMs: at - first }
  }
}
