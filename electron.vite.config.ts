// electron-vite with our own folders: electron/main, electron/preload, renderer/ → out/{main,preload,renderer}.
import { resolve } from 'node:path'
import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'electron-vite'
import { build } from 'rolldown'

const root = import.meta.dirname
const at = (path: string) => resolve(root, path)

/**
 * The HTTP transport's worker thread (electron/services/sync/http/transport.ts loads it from beside
 * index.js), built on its own after the main bundle: one file with everything in it (undici,
 * zod, the page checks it shares with the main process), since installers keep it outside
 * app.asar (electron-builder.yml), where a chunk shared with index.js could not be loaded. It is
 * .mjs, away from the package.json that makes .js files ES modules.
 * test/e2e/built-worker.test.ts runs it copied alone into such a folder.
 */
function transportWorker() {
  return {
    name: 'musubi-transport-worker',
    apply: 'build' as const,
    async closeBundle() {
      await build({
        input: at('electron/services/sync/http/transport-worker.ts'),
        platform: 'node',
        logLevel: 'warn',
        output: { file: at('out/main/transport-worker.mjs'), format: 'esm' },
      })
    },
  }
}

export default defineConfig({
  main: {
    build: {
      outDir: at('out/main'),
      // Native addons stay runtime dependencies (packaged, loaded by Node's require); zod is
      // bundled (ESM main + CommonJS packages trip over named exports, see TOOLCHAIN.md).
      externalizeDeps: { include: ['better-sqlite3', 'node-hid'], exclude: ['zod', 'undici'] },
      rolldownOptions: { input: { index: at('electron/main/index.ts') } },
    },
    plugins: [transportWorker()],
  },
  preload: {
    build: {
      outDir: at('out/preload'),
      // A sandboxed preload is a single CommonJS script: it can require only 'electron' (and a
      // few polyfilled modules), so everything else, zod and shared/ included, is bundled in.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: at('electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs', chunkFileNames: '[name]-[hash].cjs' },
      },
    },
  },
  renderer: {
    root: at('renderer'),
    // Relative asset URLs, so the built page works from file://.
    base: './',
    plugins: [vue()],
    build: {
      outDir: at('out/renderer'),
      rolldownOptions: { input: { index: at('renderer/index.html') } },
    },
  },
})
