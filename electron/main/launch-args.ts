// The register's command line: `--config FILE` and `--data-dir DIR` (also `--flag=value`).
// Everything else on the line belongs to Electron or Chromium and is left alone.
import { AppError } from '../../shared/errors.ts'

export type LaunchArgs = { configPath?: string; dataDir?: string }

const flags = { '--config': 'configPath', '--data-dir': 'dataDir' } as const

export function parseLaunchArgs(argv: readonly string[]): LaunchArgs {
  const out: LaunchArgs = {}
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    const eq = arg.indexOf('=')
    const name = eq === -1 ? arg : arg.slice(0, eq)
    if (!Object.hasOwn(flags, name)) continue
    const key = flags[name as keyof typeof flags]
    const value = eq === -1 ? argv[++i] : arg.slice(eq + 1)
    // A flag without its value must not fall back silently to the machine-wide config.
    if (value === undefined || value === '' || (eq === -1 && value.startsWith('--'))) {
      throw new AppError('config_invalid', `${name} needs a value (${name} ${key === 'configPath' ? 'FILE' : 'DIR'})`)
    }
    out[key] = value
  }
  return out
}
