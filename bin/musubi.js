#!/usr/bin/env -S node --max-semi-space-size=32
// `musubi`: the register's services from the command line. The CLI is TypeScript run by Node's
// own type stripping (on by default from Node 22.18 / 23.6; 22.12–22.17 need the flag), so it
// works right after `npm ci`, with no build step.
//
// Node's flags are on the first line (bench:sync runs its client with them too):
// `--max-semi-space-size=32` holds V8's young generation to 3 × 32 MB whatever the machine's
// memory. Node 24 sizes it from the memory (3 × 64 MB on a 24 GB machine), and a first sync's
// pages keep it full: at 1M customers / 10M events the peak RSS was 441–489 MB with Node's size
// and 398–438 MB with this one, as fast in all; 16 MB saved more and cost the events ~3 s
// (docs/sync-speed.md). Run as `node bin/musubi.js`, Node's own sizes apply.
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

if (!process.features.typescript) {
  const file = fileURLToPath(import.meta.url)
  const nodeFlags = readFileSync(file, 'utf8').split('\n', 1)[0].split(' ').filter((word) => word.startsWith('--'))
  const child = spawnSync(
    process.execPath,
    ['--experimental-strip-types', '--disable-warning=ExperimentalWarning', ...nodeFlags, file, ...process.argv.slice(2)],
    { stdio: 'inherit' },
  )
  process.exit(child.status ?? 1)
}
process.removeAllListeners('warning')
const { main } = await import('../electron/cli/main.ts')
process.exitCode = await main(process.argv.slice(2))
