// Builds what the E2E tests load, once per run: the real renderer (electron-vite, the same build
// the app ships) and the page bridge that stands in for the preload.
import { spawnSync } from 'node:child_process'
import { build } from 'rolldown'
import { PAGE_BRIDGE_FILE, ROOT } from './paths.ts'

export default async function setup(): Promise<void> {
  const started = Date.now()
  const result = spawnSync(process.execPath, ['node_modules/electron-vite/bin/electron-vite.js', 'build'], { cwd: ROOT, encoding: 'utf8' })
  if (result.status !== 0) throw new Error(`electron-vite build failed:\n${result.stdout}\n${result.stderr}`)
  await build({ input: 'test/e2e/page-bridge.ts', cwd: ROOT, logLevel: 'silent', output: { format: 'iife', file: PAGE_BRIDGE_FILE } })
  console.log(`e2e: built renderer and page bridge in ${((Date.now() - started) / 1000).toFixed(1)} s`)
}
