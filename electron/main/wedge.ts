// Keyboard-wedge scans in the app: every key is seen here before the page gets it, decoded by
// its physical key against the scanner's layout, and a burst that ends in the scanner's suffix
// is a scan. The suffix key is kept from the page (no stray Enter submits a form); the page
// takes the burst's characters back out of a text field when it hears of the scan.
import type { WebContents } from 'electron'
import { wedgeKey, type ScannerLayout } from '../../shared/scan/keymap.ts'
import { WedgeDetector } from '../../shared/scan/wedge.ts'
import type { ScannedCode } from '../../shared/views.ts'

export type WedgeOptions = { layout: ScannerLayout; prefix: string; suffix: 'Enter' | 'Tab' }

export function watchWedgeScans(contents: WebContents, options: WedgeOptions, onScan: (scan: ScannedCode) => void): () => void {
  const detector = new WedgeDetector({ prefix: options.prefix, suffix: options.suffix })
  const listener = (event: Electron.Event, input: Electron.Input) => {
    if (input.type !== 'keyDown') return
    if (input.control || input.meta || input.alt) {
      detector.reset()
      return
    }
    const step = detector.push(wedgeKey(input.code, input.key, input.shift, options.layout), performance.now())
    if (step.kind === 'scan') {
      event.preventDefault()
      onScan({ text: step.text, source: 'wedge', symbology: null, partial: false })
    }
  }
  contents.on('before-input-event', listener)
  return () => contents.off('before-input-event', listener)
}
