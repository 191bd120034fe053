// The generated client (@kiln/client) as the tests' way into the public API: typed by the
// committed spec, so a spec that no longer matches what the tests send or read breaks the
// type-check, and every answer still passes the e2e contract check of global fetch.
import { KilnClient } from '@kiln/client';

/** A client that calls as the holder of `token` (an access or API token). */
export function clientAs(url: string, token?: string): KilnClient {
  return new KilnClient({
    baseUrl: url,
    credentials: token === undefined ? undefined : { accessToken: token },
  });
}

/** One client per named token, e.g. `clientsAs(url, world.tokens).alice`. */
export function clientsAs<Name extends string>(
  url: string,
  tokens: Record<Name, string>,
): Record<Name, KilnClient> {
  return Object.fromEntries(
    Object.entries<string>(tokens).map(([name, token]) => [name, clientAs(url, token)]),
  ) as Record<Name, KilnClient>;
}

/** A client logged in with a password, and the access token it holds. */
export async function loggedInAs(
  url: string,
  username: string,
  password: string,
): Promise<{ client: KilnClient; token: string }> {
  const client = clientAs(url);
  const { accessToken } = await client.login(username, password);
  return { client, token: accessToken };
}
