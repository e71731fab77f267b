// YUV4MPEG2 (.y4m) for Chromium's fake camera (--use-file-for-fake-video-capture=FILE.y4m):
// header `YUV4MPEG2 W640 H480 F30:1 Ip A1:1 C420jpeg\n`, then per frame `FRAME\n`, the Y plane
// (W×H bytes) and the U and V planes (W/2×H/2 each). Full-range BT.601 (JPEG's YCbCr), chroma
// averaged over each 2×2 block. Chromium loops the file.
import { writeFileSync } from 'node:fs'
import type { Frame } from '../../../renderer/src/scan/camera/decoder.ts'

export function y4mHeader(width: number, height: number, fps = 30): string {
  return `YUV4MPEG2 W${width} H${height} F${fps}:1 Ip A1:1 C420jpeg\n`
}

/** The bytes of a .y4m file holding `frames` (all the same even size) at `fps`. */
export function encodeY4m(frames: Frame[], fps = 30): Buffer {
  const first = frames[0]
  if (!first) throw new RangeError('a y4m file needs at least one frame')
  const { width, height } = first
  if (width % 2 !== 0 || height % 2 !== 0) throw new RangeError(`4:2:0 needs an even frame size, not ${width}×${height}`)
  if (!Number.isInteger(fps) || fps <= 0) throw new RangeError(`fps must be a positive integer, not ${fps}`)
  const header = Buffer.from(y4mHeader(width, height, fps), 'ascii')
  const marker = Buffer.from('FRAME\n', 'ascii')
  const lumaSize = width * height
  const chromaWidth = width / 2
  const chromaSize = chromaWidth * (height / 2)
  const frameSize = marker.length + lumaSize + 2 * chromaSize
  const out = Buffer.alloc(header.length + frames.length * frameSize)
  header.copy(out, 0)
  frames.forEach((frame, index) => {
    if (frame.width !== width || frame.height !== height) throw new RangeError(`frame ${index} is ${frame.width}×${frame.height}, the first is ${width}×${height}`)
    const base = header.length + index * frameSize
    marker.copy(out, base)
    const yAt = base + marker.length
    const uAt = yAt + lumaSize
    const vAt = uAt + chromaSize
    const { data } = frame
    for (let i = 0, p = 0; i < lumaSize; i++, p += 4) {
      out[yAt + i] = Math.round(0.299 * data[p]! + 0.587 * data[p + 1]! + 0.114 * data[p + 2]!)
    }
    for (let cy = 0; cy < height / 2; cy++) {
      for (let cx = 0; cx < chromaWidth; cx++) {
        let r = 0
        let g = 0
        let b = 0
        for (const [dx, dy] of [[0, 0], [1, 0], [0, 1], [1, 1]] as const) {
          const p = ((2 * cy + dy) * width + 2 * cx + dx) * 4
          r += data[p]!
          g += data[p + 1]!
          b += data[p + 2]!
        }
        r /= 4
        g /= 4
        b /= 4
        const c = cy * chromaWidth + cx
        out[uAt + c] = Math.min(255, Math.max(0, Math.round(128 - 0.168736 * r - 0.331264 * g + 0.5 * b)))
        out[vAt + c] = Math.min(255, Math.max(0, Math.round(128 + 0.5 * r - 0.418688 * g - 0.081312 * b)))
      }
    }
  })
  return out
}

/** Writes `frames` as a .y4m file for Chromium's fake camera. */
export function writeY4m(file: string, frames: Frame[], fps = 30): void {
  writeFileSync(file, encodeY4m(frames, fps))
}
