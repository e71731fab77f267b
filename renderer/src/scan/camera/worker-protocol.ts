// The camera worker's messages and its message handler, apart from the Worker global so that
// tests can drive it in plain Node. camera-worker.ts wires it to `self`.
import type { Decoded, Frame, FrameDecoder } from './decoder.ts'

export type DecoderKind = 'zxing-wasm' | 'zxing-library'

export type InitMessage = { type: 'init'; decoder: DecoderKind; wasmUrl?: string }
/** `frame.data` should be sent transferred: `postMessage(msg, [msg.frame.data.buffer])`. */
export type FrameMessage = { type: 'frame'; id: number; frame: Frame }
export type WorkerRequest = InitMessage | FrameMessage

export type ReadyMessage = { type: 'ready'; decoder: DecoderKind }
/** `ms`: time spent decoding this frame inside the worker. */
export type ResultMessage = { type: 'result'; id: number; decoded: Decoded | null; ms: number }
/** A frame that could not be decoded at all (no init yet, bad frame, the wasm failed to load); `id` is absent for a failed init. */
export type ErrorMessage = { type: 'error'; id?: number; message: string }
export type WorkerResponse = ReadyMessage | ResultMessage | ErrorMessage

export type DecoderFactories = Record<DecoderKind, (init: InitMessage) => FrameDecoder>

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/** A tiny blank frame: decoding it on init loads the decoder (the wasm module) before any camera frame. */
const WARM_UP: Frame = { data: new Uint8ClampedArray(16 * 16 * 4).fill(255), width: 16, height: 16 }

/**
 * The handler for the worker's `onmessage`. Each decoder kind is created once, on its first
 * init, and tried on a blank frame: 'ready' means it decodes (the wasm loaded); a decoder that
 * cannot start answers the init with an error (no id) and is not kept. A later init switches
 * between decoders. Frames are decoded one at a time in arrival order (the page should send the
 * next frame when the previous result comes back; frames sent meanwhile queue up).
 */
export function createWorkerHandler(
  post: (message: WorkerResponse) => void,
  factories: DecoderFactories,
  now: () => number = () => performance.now(),
): (message: WorkerRequest) => Promise<void> {
  const decoders = new Map<DecoderKind, FrameDecoder>()
  let current: FrameDecoder | null = null
  let queue: Promise<void> = Promise.resolve()

  async function handle(message: WorkerRequest): Promise<void> {
    if (message.type === 'init') {
      try {
        let decoder = decoders.get(message.decoder)
        if (!decoder) {
          const factory = factories[message.decoder]
          if (!factory) throw new Error(`unknown decoder ${JSON.stringify(message.decoder)}`)
          const created = factory(message)
          try {
            await created.decode(WARM_UP)
          } catch (error) {
            created.dispose?.()
            throw new Error(`${message.decoder} decoder could not start: ${messageOf(error)}`)
          }
          decoder = created
          decoders.set(message.decoder, decoder)
        }
        current = decoder
        post({ type: 'ready', decoder: message.decoder })
      } catch (error) {
        post({ type: 'error', message: messageOf(error) })
      }
      return
    }
    if (message.type === 'frame') {
      const { id } = message
      if (!current) {
        post({ type: 'error', id, message: 'frame before init' })
        return
      }
      const { width, height } = message.frame
      const raw: unknown = message.frame.data
      const data = raw instanceof ArrayBuffer ? new Uint8ClampedArray(raw) : (raw as Uint8ClampedArray)
      const start = now()
      try {
        const decoded = await current.decode({ data, width, height })
        post({ type: 'result', id, decoded, ms: now() - start })
      } catch (error) {
        post({ type: 'error', id, message: messageOf(error) })
      }
    }
  }

  return (message) => {
    queue = queue.then(() => handle(message))
    return queue
  }
}
