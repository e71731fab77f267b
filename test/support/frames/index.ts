// Node-side helpers to make camera frames for the decoder tests, the decode bench and the fake
// camera (.y4m) of the browser tests.
export { FRAME_HEIGHT, FRAME_WIDTH, blankFrame, jwsLikeText, linearModules, renderCode } from './render.ts'
export type { RenderOptions } from './render.ts'
export { addNoise, boxBlur, deskFrame, gaussian, gaussianBlur, glare, lowContrast, noiseFrame, rotate, seededRandom } from './distort.ts'
export type { GlareOptions, Random } from './distort.ts'
export { encodeY4m, writeY4m, y4mHeader } from './y4m.ts'
export { BENCH_CODES, codeFrames, emptyFrames } from './sets.ts'
export type { BenchCode, Category, LabelledFrame, SetSizes } from './sets.ts'
export { zxingWasmBinary, zxingWasmPath } from './wasm.ts'
