import { describe, expect, it } from 'vitest'
import { WedgeDetector } from '../../shared/scan/wedge.ts'

/** Feeds keys with the given gaps (ms) and answers the last step. */
function feed(detector: WedgeDetector, keys: string[], gaps: number[] | number, start = 1000) {
  let t = start
  let step = detector.push(keys[0]!, t)
  for (let i = 1; i < keys.length; i++) {
    t += Array.isArray(gaps) ? gaps[i - 1]! : gaps
    step = detector.push(keys[i]!, t)
  }
  return step
}

describe('WedgeDetector', () => {
  it('recognises a scanner burst ending in Enter', () => {
    const step = feed(new WedgeDetector(), [...'M0000001', 'Enter'], 4)
    expect(step).toEqual({ kind: 'scan', text: 'M0000001', durationMs: 32 })
  })

  it('lets a person typing the same text through', () => {
    const step = feed(new WedgeDetector(), [...'M0000001', 'Enter'], [120, 95, 140, 80, 110, 90, 130, 150])
    expect(step).toEqual({ kind: 'suffix' })
  })

  it('does not take fast key rollover of a person for a scan', () => {
    // Two quick keys, then human pace, then Enter.
    const step = feed(new WedgeDetector(), [...'abcd', 'Enter'], [12, 90, 100, 120])
    expect(step.kind).toBe('suffix')
  })

  it('refuses bursts shorter than the minimum length', () => {
    expect(feed(new WedgeDetector(), [...'ab', 'Enter'], 3).kind).toBe('suffix')
  })

  it('ignores Shift inside a burst (scanners press it for capitals)', () => {
    const step = feed(new WedgeDetector(), ['Shift', 'M', ...'0000001', 'Enter'], 3)
    expect(step).toMatchObject({ kind: 'scan', text: 'M0000001' })
  })

  it('starts over after a pause, keeping only the burst', () => {
    const detector = new WedgeDetector()
    feed(detector, [...'xy'], 150)
    const step = feed(detector, [...'49012345', 'Enter'], 5, 5000)
    expect(step).toMatchObject({ kind: 'scan', text: '49012345' })
  })

  it('strips the configured prefix and honours a Tab suffix', () => {
    const detector = new WedgeDetector({ prefix: '#', suffix: 'Tab' })
    expect(feed(detector, [...'#M0000001', 'Tab'], 2)).toMatchObject({ kind: 'scan', text: 'M0000001' })
    expect(feed(detector, [...'M0000001', 'Tab'], 2, 9000)).toEqual({ kind: 'suffix' })
  })

  it('marks the first key of each burst so the page can snapshot the field', () => {
    const detector = new WedgeDetector()
    expect(detector.push('a', 0)).toEqual({ kind: 'key', startsBurst: true })
    expect(detector.push('b', 5)).toEqual({ kind: 'key', startsBurst: false })
    expect(detector.push('c', 500)).toEqual({ kind: 'key', startsBurst: true })
  })

  it('tells a scan whose suffix was lost from a pause in typing', () => {
    const detector = new WedgeDetector()
    feed(detector, [...'M0000001'], 3, 1000)
    expect(detector.flush(1010)).toBeNull()
    expect(detector.flush(1200)).toBe('M0000001')
    feed(detector, [...'hello'], 120, 5000)
    expect(detector.flush(6000)).toBeNull()
  })
})
