// Keyboard-wedge scans anywhere in the window. Keys go on to the page as usual (a person's
// typing must never be held back); when a burst turns out to be a scan, its characters are
// taken back out of the text field they landed in. Keys are decoded by physical key and Shift
// against the scanner's layout, so the host layout and the IME do not change what was scanned.
//
// In Electron the main process tells scans apart (before-input-event) and announces them; here
// the page then only takes the characters back out (`detect: false`). In a plain browser (the
// E2E harness) the page does both.
import { wedgeKey, type ScannerLayout } from '../../../shared/scan/keymap.ts'
import { WedgeDetector } from '../../../shared/scan/wedge.ts'

type Snapshot = { field: HTMLInputElement | HTMLTextAreaElement; value: string; start: number | null; end: number | null }

export type WedgeListenerOptions = { layout: ScannerLayout; prefix: string; suffix: 'Enter' | 'Tab'; detect: boolean }

export type WedgeListener = {
  /** Puts the field the last burst typed into back as it was before the burst. */
  takeBackBurst(): void
  stop(): void
}

function textField(target: EventTarget | null): HTMLInputElement | HTMLTextAreaElement | null {
  if (target instanceof HTMLTextAreaElement) return target
  if (target instanceof HTMLInputElement && ['text', 'search', 'tel', 'email', 'number', 'password', ''].includes(target.type)) return target
  return null
}

/** How long after a scanner-fast burst its suffix may still come before the read counts as cut off. */
const SUFFIX_WAIT_MS = 150

/** `options` is read at every key: the register's scanner settings arrive after the window opens. */
export function listenForWedgeScans(onScan: (text: string) => void, current: () => WedgeListenerOptions, onSuffixLost: () => void = () => undefined): WedgeListener {
  let options = current()
  let detector = new WedgeDetector({ prefix: options.prefix, suffix: options.suffix })
  let snapshot: Snapshot | null = null
  let idle: ReturnType<typeof setTimeout> | null = null

  function takeBackBurst(): void {
    if (snapshot && snapshot.field.value !== snapshot.value) {
      snapshot.field.value = snapshot.value
      if (snapshot.start !== null) snapshot.field.setSelectionRange(snapshot.start, snapshot.end)
      snapshot.field.dispatchEvent(new Event('input', { bubbles: true }))
    }
    snapshot = null
  }

  function onKeyDown(event: KeyboardEvent): void {
    const next = current()
    if (next.prefix !== options.prefix || next.suffix !== options.suffix) detector = new WedgeDetector({ prefix: next.prefix, suffix: next.suffix })
    options = next
    if (event.ctrlKey || event.metaKey || event.altKey) {
      detector.reset()
      return
    }
    const step = detector.push(wedgeKey(event.code, event.key, event.shiftKey, options.layout), event.timeStamp)
    if (idle) clearTimeout(idle)
    idle = null
    if (step.kind === 'key' && options.detect) {
      idle = setTimeout(() => {
        if (detector.flush(performance.now()) !== null) {
          takeBackBurst()
          onSuffixLost()
        }
      }, SUFFIX_WAIT_MS)
    }
    if (step.kind === 'key') {
      if (step.startsBurst) {
        const field = textField(event.target)
        snapshot = field ? { field, value: field.value, start: field.selectionStart, end: field.selectionEnd } : null
      }
      return
    }
    if (step.kind === 'scan' && options.detect) {
      event.preventDefault()
      event.stopImmediatePropagation()
      takeBackBurst()
      onScan(step.text)
    }
  }

  window.addEventListener('keydown', onKeyDown, { capture: true })
  return {
    takeBackBurst,
    stop: () => {
      if (idle) clearTimeout(idle)
      window.removeEventListener('keydown', onKeyDown, { capture: true })
    },
  }
}
