import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, call, csrfToken } from '../api/client';
import type { SignIn, WebSession } from '../api/types';

interface Session {
  /** Who is signed in, and how (`session`: a password sign-in; `api`: a pasted API token). */
  me: WebSession | null;
  /** True while the session cookie is being checked at start-up. */
  checking: boolean;
  /** With a pasted API token: the API keeps it in the HttpOnly session cookie. */
  signIn: (token: string) => Promise<void>;
  /** With a user name and password: the API puts the session it issues in the cookie. */
  signInWithPassword: (credentials: SignIn) => Promise<void>;
  /** Clears the cookie; a password sign-in's session is revoked on the server too. */
  signOut: () => Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

// The page never holds the session's token: the API sets it in an HttpOnly cookie that goes with
// every request, and the page only learns who is signed in (GET /api/v1/web-session).
export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<WebSession | null>(null);
  // the CSRF cookie lives as long as the session cookie: without it there is nothing to check
  const [checking, setChecking] = useState(() => csrfToken() !== null);

  const signOut = useCallback(async () => {
    // the API clears the cookies, and revokes a password sign-in's token; a pasted token is only
    // forgotten here (it may be a long-lived token used elsewhere)
    await call(api.DELETE('/api/v1/web-session')).catch(() => undefined);
    setMe(null);
  }, []);

  const signIn = useCallback(async (token: string) => {
    setMe(await call<WebSession>(api.POST('/api/v1/web-session/token', { body: { token } })));
  }, []);

  const signInWithPassword = useCallback(async (credentials: SignIn) => {
    setMe(await call<WebSession>(api.POST('/api/v1/web-session', { body: credentials })));
  }, []);

  useEffect(() => {
    if (!csrfToken()) return;
    call<WebSession>(api.GET('/api/v1/web-session')).then(
      (m) => {
        setMe(m);
        setChecking(false);
      },
      // a revoked or expired session: back to the sign-in page
      () => setChecking(false),
    );
  }, []);

  useEffect(() => {
    // the session stopped working (revoked, expired): nothing to revoke, only to forget
    const onUnauthorized = () => setMe(null);
    window.addEventListener('switchyard:unauthorized', onUnauthorized);
    return () => window.removeEventListener('switchyard:unauthorized', onUnauthorized);
  }, []);

  const value = useMemo(
    () => ({ me, checking, signIn, signInWithPassword, signOut }),
    [me, checking, signIn, signInWithPassword, signOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}

export const isStaff = (me: WebSession | null) => me?.role === 'admin' || me?.role === 'operator';
