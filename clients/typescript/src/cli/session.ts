// The client a command talks through: the stored login (or KILN_URL / KILN_TOKEN from
// the environment, for CI), saving each rotated token pair back to the file.
import { KilnClient } from '../kiln-client';
import { readLogin, writeLogin, type StoredLogin } from './credentials-store';
import { CliExit, EXIT } from './exit-codes';

export const DEFAULT_URL = 'http://localhost:3000';

export interface GlobalOptions {
  url?: string;
}

export function loggedInClient(options: GlobalOptions = {}): KilnClient {
  const login = currentLogin(options);
  if (!login) throw new CliExit(EXIT.unauthenticated, 'Not logged in: run `kiln login` first.');
  return new KilnClient({
    baseUrl: login.url,
    credentials: login,
    onCredentials: (credentials) => {
      if (!process.env.KILN_TOKEN) writeLogin({ url: login.url, ...credentials });
    },
  });
}

function currentLogin(options: GlobalOptions): StoredLogin | undefined {
  const url = options.url ?? process.env.KILN_URL;
  if (process.env.KILN_TOKEN)
    return { url: url ?? DEFAULT_URL, accessToken: process.env.KILN_TOKEN };
  const stored = readLogin();
  if (!stored) return undefined;
  if (url && url.replace(/\/+$/, '') !== stored.url)
    throw new CliExit(
      EXIT.unauthenticated,
      `Not logged in to ${url}: run \`kiln login --url ${url}\`.`,
    );
  return stored;
}
