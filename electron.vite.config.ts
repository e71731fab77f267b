// electron-vite with our own folders: electron/main, electron/preload, renderer/ → out/{main,preload,renderer}.
import { resolve } from 'node:path'
import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'electron-vite'

const root = import.meta.dirname
const at = (path: string) => resolve(root, path)

export default defineConfig({
  main: {
    build: {
      outDir: at('out/main'),
      // Native addons stay runtime dependencies (packaged, loaded by Node's require); zod is
      // bundled (ESM main + CommonJS packages trip over named exports, see TOOLCHAIN.md), and so
      // is undici, so that the HTTP worker is one file with nothing to resolve (it runs unpacked
      // from app.asar, electron-builder.yml).
      externalizeDeps: { include: ['better-sqlite3', 'node-hid'], exclude: ['zod', 'undici'] },
      // The HTTP transport's worker thread is an entry of its own, built beside index.js
      // (electron/services/sync/http/transport.ts loads it from there).
      // It is .mjs: installers keep it outside app.asar, away from the package.json that makes
      // .js files ES modules.
      rolldownOptions: {
        input: { index: at('electron/main/index.ts'), 'transport-worker': at('electron/services/sync/http/transport-worker.ts') },
        output: { entryFileNames: (chunk) => (chunk.name === 'transport-worker' ? '[name].mjs' : '[name].js') },
      },
    },
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
