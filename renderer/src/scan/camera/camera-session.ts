// The webcam at the counter: one stream, one decoding worker, one frame in flight at a time (the
// worker decodes while the page draws the next), each code counted once per sighting. Closing
// ends the camera's tracks at once, so its light goes off and another app can use it.
import type { Decoded } from './decoder.ts'
import { createConfirmation, createDedupe } from './dedupe.ts'
import type { DecoderKind, WorkerRequest, WorkerResponse } from './worker-protocol.ts'

export const FRAME_WIDTH = 640
export const FRAME_HEIGHT = 480
export const FIRST_DECODE = 'musubi:camera-first-decode'
export const CAMERA_OPENED = 'musubi:camera-opened'

export type CameraSessionOptions = {
  deviceId: string | null
  decoder: DecoderKind
  onCode(decoded: Decoded): void
  onError(message: string): void
}

export type CameraSession = {
  stop(): void
  /** Frames decoded per second over the last second or so. */
  fps(): number
}

export async function startCameraSession(video: HTMLVideoElement, options: CameraSessionOptions): Promise<CameraSession> {
  performance.clearMarks(CAMERA_OPENED)
  performance.mark(CAMERA_OPENED)
  const stream = await navigator.mediaDevices.getUserMedia({
    audio: false,
    video: { ...(options.deviceId ? { deviceId: { exact: options.deviceId } } : {}), width: { ideal: FRAME_WIDTH }, height: { ideal: FRAME_HEIGHT } },
  })
  let stopped = false
  const worker = new Worker(new URL('./camera-worker.ts', import.meta.url), { type: 'module' })
  const canvas = new OffscreenCanvas(FRAME_WIDTH, FRAME_HEIGHT)
  const context = canvas.getContext('2d', { willReadFrequently: true })!
  const accept = createDedupe(2000)
  // A 1D code has only a check digit: a blurred frame can misread one. Two frames must agree.
  const confirmed = createConfirmation(2, 600)
  let nextId = 0
  let decodedAny = false
  const stamps: number[] = []

  function stop(): void {
    if (stopped) return
    stopped = true
    for (const track of stream.getTracks()) track.stop()
    video.srcObject = null
    worker.terminate()
  }

  function nextFrame(): void {
    if (stopped) return
    if ('requestVideoFrameCallback' in video) video.requestVideoFrameCallback(() => sendFrame())
    else setTimeout(sendFrame, 1000 / 30)
  }

  function sendFrame(): void {
    if (stopped) return
    if (video.readyState < HTMLMediaElement.HAVE_CURRENT_DATA) {
      setTimeout(sendFrame, 30)
      return
    }
    context.drawImage(video, 0, 0, FRAME_WIDTH, FRAME_HEIGHT)
    const image = context.getImageData(0, 0, FRAME_WIDTH, FRAME_HEIGHT)
    const message: WorkerRequest = { type: 'frame', id: nextId++, frame: { data: image.data, width: FRAME_WIDTH, height: FRAME_HEIGHT } }
    worker.postMessage(message, [image.data.buffer])
  }

  worker.onmessage = (event: MessageEvent<WorkerResponse>) => {
    if (stopped) return
    const message = event.data
    if (message.type === 'error') {
      if (message.id === undefined) {
        options.onError(message.message)
        stop()
        return
      }
    } else if (message.type === 'result') {
      const now = performance.now()
      stamps.push(now)
      while (stamps.length > 0 && now - stamps[0]! > 1000) stamps.shift()
      const decoded = message.decoded
      if (decoded && (decoded.format === 'QRCode' || confirmed(decoded.text, now)) && accept(decoded.text, now)) {
        if (!decodedAny) {
          decodedAny = true
          performance.measure(FIRST_DECODE, CAMERA_OPENED)
        }
        options.onCode(decoded)
      }
    }
    // One frame in flight: the next is drawn when the last is done (or on 'ready'), and only once
    // the camera has a new one — decoding the same picture twice is work the counter's PC needs.
    nextFrame()
  }
  worker.onerror = (event) => {
    options.onError(event.message || 'the decoding worker failed')
    stop()
  }

  try {
    video.srcObject = stream
    await video.play()
  } catch (error) {
    stop()
    throw error
  }
  worker.postMessage({ type: 'init', decoder: options.decoder } satisfies WorkerRequest)
  return { stop, fps: () => stamps.length }
}

/** The cameras this PC has (labels appear once camera permission was given). */
export async function listCameras(): Promise<Array<{ deviceId: string; label: string }>> {
  const devices = await navigator.mediaDevices.enumerateDevices()
  return devices.filter((d) => d.kind === 'videoinput').map((d, i) => ({ deviceId: d.deviceId, label: d.label || `Camera ${i + 1}` }))
}
