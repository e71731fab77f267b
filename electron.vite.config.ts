// electron-vite with our own folders: electron/main, electron/preload, renderer/ → out/{main,preload,renderer}.
import { resolve } from 'node:path'
import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'electron-vite'
import { build } from 'rolldown'

const root = import.meta.dirname
const at = (path: string) => resolve(root, path)

/**
 * The worker threads, built on their own after the main bundle, each one file beside index.js
 * with everything of ours in it:
 * - the HTTP transport's (electron/services/sync/http/transport.ts): undici, zod and the page
 *   checks it shares with the main process bundled in, since installers keep it outside app.asar
 *   (electron-builder.yml), where a chunk shared with index.js could not be loaded;
 *   test/e2e/built-worker.test.ts runs it copied alone into such a folder;
 * - the customer search index's (electron/services/db/search-indexer.ts) and the staged events'
 *   reader's (electron/services/db/staged-rows.ts): inside app.asar like index.js, loading
 *   better-sqlite3 from the app's node_modules as index.js does.
 * They are .mjs, away from the package.json that makes .js files ES modules.
 */
function workers() {
  return {
    name: 'musubi-workers',
    apply: 'build' as const,
    async closeBundle() {
      const built: [source: string, file: string, external: string[]][] = [
        ['electron/services/sync/http/transport-worker.ts', 'out/main/transport-worker.mjs', []],
        ['electron/services/db/search-worker.ts', 'out/main/search-worker.mjs', ['better-sqlite3']],
        ['electron/services/db/staged-rows-worker.ts', 'out/main/staged-rows-worker.mjs', ['better-sqlite3']],
      ]
      for (const [source, file, external] of built) {
        await build({ input: at(source), platform: 'node', logLevel: 'warn', external, output: { file: at(file), format: 'esm' } })
      }
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
    plugins: [workers()],
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
