// Node side of the zxing-wasm decoder: the reader's .wasm file straight from node_modules (the
// renderer gets the same file bundled by Vite, by URL).
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)

/** Absolute path of zxing-wasm's reader build (resolved through the package's own exports map). */
export const zxingWasmPath: string = require.resolve('zxing-wasm/reader/zxing_reader.wasm')

/** The bytes of zxing_reader.wasm, for `createZxingWasmDecoder({ wasmBinary })`. */
export function zxingWasmBinary(): ArrayBuffer {
  const bytes = readFileSync(zxingWasmPath)
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer
}
