#!/usr/bin/env node
// `musubi`: the register's services from the command line. The CLI is TypeScript run by Node's
// own type stripping (on by default from Node 22.18 / 23.6; 22.12–22.17 need the flag), so it
// works right after `npm ci`, with no build step.
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

if (!process.features.typescript) {
  const child = spawnSync(
    process.execPath,
    ['--experimental-strip-types', '--disable-warning=ExperimentalWarning', fileURLToPath(import.meta.url), ...process.argv.slice(2)],
    { stdio: 'inherit' },
  )
  process.exit(child.status ?? 1)
}
process.removeAllListeners('warning')
const { main } = await import('../electron/cli/main.ts')
process.exitCode = await main(process.argv.slice(2))
