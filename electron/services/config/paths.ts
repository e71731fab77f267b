// Where the config file and the database live, computed the same way with or without Electron
// (Electron's userData for productName "Musubi" is the same folder).
import { homedir } from 'node:os'
import { join } from 'node:path'

export type Env = Record<string, string | undefined>

/** IT deploys the config machine-wide here (profile-api.md "Register configuration"). */
export function machineConfigPath(platform: NodeJS.Platform, env: Env): string {
  if (platform === 'win32') return join(env['ProgramData'] ?? 'C:\\ProgramData', 'Musubi', 'config.json')
  if (platform === 'darwin') return '/Library/Application Support/Musubi/config.json'
  return '/etc/musubi/config.json'
}

/** The per-user data folder: `~/.config/Musubi`, `~/Library/Application Support/Musubi`, `%APPDATA%\Musubi`. */
export function userDataDir(platform: NodeJS.Platform, env: Env, home = homedir()): string {
  if (platform === 'win32') return join(env['APPDATA'] ?? join(home, 'AppData', 'Roaming'), 'Musubi')
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Musubi')
  return join(env['XDG_CONFIG_HOME'] || join(home, '.config'), 'Musubi')
}

/** `--data-dir`, else MUSUBI_DATA_DIR, else the per-user folder. */
export function resolveDataDir(flag: string | undefined, env: Env, platform: NodeJS.Platform = process.platform): string {
  return flag || env['MUSUBI_DATA_DIR'] || userDataDir(platform, env)
}
