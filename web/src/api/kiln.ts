// The one Kiln client of the app. The access token lives only in memory; the refresh
// token (single-use, rotated on every refresh) is kept in sessionStorage so a reload of
// the tab keeps the session while closing the tab ends it.
import { createKilnClient, KilnProblemError, unwrap, type Credentials } from '@kiln/client';

const REFRESH_KEY = 'kiln.refreshToken';

export const kiln = createKilnClient({
  baseUrl: window.location.origin,
  onCredentials: (credentials: Credentials) => {
    if (credentials.refreshToken) sessionStorage.setItem(REFRESH_KEY, credentials.refreshToken);
  },
});

export function storedRefreshToken(): string | null {
  return sessionStorage.getItem(REFRESH_KEY);
}

export function forgetSession(): void {
  sessionStorage.removeItem(REFRESH_KEY);
  void kiln.session.use(undefined);
}

/** Renews the session from the stored refresh token after a reload; false if it is gone. */
export async function resumeSession(): Promise<boolean> {
  const refreshToken = storedRefreshToken();
  if (!refreshToken) return false;
  const { data } = await kiln.api.POST('/api/v1/auth/refresh', { body: { refreshToken } });
  if (!data) {
    forgetSession();
    return false;
  }
  await kiln.session.use({ accessToken: data.accessToken, refreshToken: data.refreshToken });
  return true;
}

export { unwrap, KilnProblemError };
