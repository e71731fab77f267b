// The camera's decoding worker. Start it from the page with
//   new Worker(new URL('./scan/camera/camera-worker.ts', import.meta.url), { type: 'module' })
// then post { type: 'init', decoder } once and { type: 'frame', id, frame } per frame, with the
// frame's buffer transferred. Messages: worker-protocol.ts.
import wasmUrl from 'zxing-wasm/reader/zxing_reader.wasm?url'
import { createWorkerHandler } from './worker-protocol.ts'
import type { WorkerRequest, WorkerResponse } from './worker-protocol.ts'
import { createZxingLibraryDecoder } from './zxing-library-decoder.ts'
import { createZxingWasmDecoder } from './zxing-wasm-decoder.ts'

/** The part of DedicatedWorkerGlobalScope used here (the renderer's tsconfig has the DOM lib, not WebWorker). */
type WorkerScope = {
  onmessage: ((event: MessageEvent<WorkerRequest>) => void) | null
  postMessage(message: WorkerResponse): void
}

const scope = self as unknown as WorkerScope

const handle = createWorkerHandler((message) => scope.postMessage(message), {
  // The wasm file is bundled by Vite (emitted next to the worker script); never a CDN.
  'zxing-wasm': (init) => createZxingWasmDecoder({ wasmUrl: init.wasmUrl ?? wasmUrl }),
  'zxing-library': () => createZxingLibraryDecoder(),
})

scope.onmessage = (event) => {
  void handle(event.data)
}
