// Who is signed in, and what they may do. Roles decide what the console shows: a viewer
// sees no action buttons, admin pages exist only for admins (the server enforces both).
import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { forgetSession, kiln, resumeSession, unwrap } from '../api/kiln';
import type { User } from '../api/types';
import { SESSION_ENDED } from './session-events';

interface AuthState {
  user: User | undefined;
  /** True until a stored session has been tried after a reload. */
  restoring: boolean;
  signIn(username: string, password: string): Promise<void>;
  signOut(): Promise<void>;
  isAdmin: boolean;
  /** Members and admins submit and change tasks; viewers only look. */
  canAct: boolean;
}

const AuthContext = createContext<AuthState | undefined>(undefined);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User>();
  const [restoring, setRestoring] = useState(true);

  useEffect(() => {
    resumeSession()
      .then(async (resumed) => {
        if (resumed) setUser(await unwrap(kiln.api.GET('/api/v1/auth/me')));
      })
      .catch(() => forgetSession())
      .finally(() => setRestoring(false));
  }, []);

  useEffect(() => {
    const ended = () => {
      forgetSession();
      setUser(undefined);
    };
    window.addEventListener(SESSION_ENDED, ended);
    return () => window.removeEventListener(SESSION_ENDED, ended);
  }, []);

  const signIn = useCallback(async (username: string, password: string) => {
    const session = await kiln.login(username, password);
    setUser(session.user);
  }, []);

  const signOut = useCallback(async () => {
    try {
      await kiln.logout();
    } finally {
      forgetSession();
      setUser(undefined);
    }
  }, []);

  const value = useMemo<AuthState>(() => {
    const roles = user?.roles ?? [];
    return {
      user,
      restoring,
      signIn,
      signOut,
      isAdmin: roles.includes('admin'),
      canAct: roles.includes('admin') || roles.includes('member'),
    };
  }, [user, restoring, signIn, signOut]);

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error('useAuth outside AuthProvider');
  return auth;
}
