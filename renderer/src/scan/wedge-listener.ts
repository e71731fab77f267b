// Keyboard-wedge scans anywhere in the window. Keys go on to the page as usual (a person's
// typing must never be held back); when a burst turns out to be a scan, its characters are
// taken back out of the text field they landed in and the suffix key is swallowed.
import { WedgeDetector, type WedgeOptions } from '../../../shared/scan/wedge.ts'

type Snapshot = { field: HTMLInputElement | HTMLTextAreaElement; value: string; start: number | null; end: number | null }

function textField(target: EventTarget | null): HTMLInputElement | HTMLTextAreaElement | null {
  if (target instanceof HTMLTextAreaElement) return target
  if (target instanceof HTMLInputElement && ['text', 'search', 'tel', 'email', 'number', 'password', ''].includes(target.type)) return target
  return null
}

export function listenForWedgeScans(onScan: (text: string) => void, options: Partial<WedgeOptions> = {}): () => void {
  const detector = new WedgeDetector(options)
  let snapshot: Snapshot | null = null

  function onKeyDown(event: KeyboardEvent): void {
    if (event.isComposing || event.ctrlKey || event.metaKey || event.altKey) {
      detector.reset()
      return
    }
    const step = detector.push(event.key, event.timeStamp)
    if (step.kind === 'key') {
      if (step.startsBurst) {
        const field = textField(event.target)
        snapshot = field ? { field, value: field.value, start: field.selectionStart, end: field.selectionEnd } : null
      }
      return
    }
    if (step.kind === 'scan') {
      event.preventDefault()
      event.stopImmediatePropagation()
      if (snapshot && snapshot.field.value !== snapshot.value) {
        snapshot.field.value = snapshot.value
        if (snapshot.start !== null) snapshot.field.setSelectionRange(snapshot.start, snapshot.end)
        snapshot.field.dispatchEvent(new Event('input', { bubbles: true }))
      }
      snapshot = null
      onScan(step.text)
    }
  }

  window.addEventListener('keydown', onKeyDown, { capture: true })
  return () => window.removeEventListener('keydown', onKeyDown, { capture: true })
}
