// Where `kiln login` keeps the server's URL and the user's tokens: a JSON file in the
// user's config directory, readable by the user alone (0600 in a 0700 directory), since
// the refresh token is as good as the password until it expires.
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Credentials } from '../token-session';

export interface StoredLogin extends Credentials {
  url: string;
}

/** KILN_CONFIG_DIR, else $XDG_CONFIG_HOME/kiln, else ~/.config/kiln. */
export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.KILN_CONFIG_DIR) return env.KILN_CONFIG_DIR;
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'kiln');
}

export function credentialsPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(configDir(env), 'credentials.json');
}

export function readLogin(): StoredLogin | undefined {
  try {
    return JSON.parse(readFileSync(credentialsPath(), 'utf8')) as StoredLogin;
  } catch {
    return undefined;
  }
}

export function writeLogin(login: StoredLogin): void {
  mkdirSync(configDir(), { recursive: true, mode: 0o700 });
  const path = credentialsPath();
  writeFileSync(path, `${JSON.stringify(login, null, 2)}\n`, { mode: 0o600 });
  // writeFileSync keeps the mode of a file that already exists
  chmodSync(path, 0o600);
}

export function forgetLogin(): void {
  rmSync(credentialsPath(), { force: true });
}
