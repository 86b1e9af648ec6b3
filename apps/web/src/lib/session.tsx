import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, call, tokenStore } from '../api/client';
import type { Me, SignedIn, SignIn } from '../api/types';

interface Session {
  me: Me | null;
  /** True while a stored token is being checked at start-up. */
  checking: boolean;
  /** With a pasted API token. */
  signIn: (token: string) => Promise<void>;
  /** With a user name and password: the API issues a session token, kept like a pasted one. */
  signInWithPassword: (credentials: SignIn) => Promise<void>;
  /** Forgets the token; one issued by a password sign-in is revoked on the server first. */
  signOut: () => Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);
  const [checking, setChecking] = useState(() => tokenStore.get() !== null);

  const forget = useCallback(() => {
    tokenStore.clear();
    setMe(null);
  }, []);

  const signOut = useCallback(async () => {
    // a pasted token may be a long-lived one used elsewhere: only forgotten here, not revoked
    if (tokenStore.get() && tokenStore.origin() === 'session') {
      // revoked if the API answers; forgotten here either way (it also expires on its own)
      await call(api.DELETE('/api/v1/sessions/current')).catch(() => undefined);
    }
    forget();
  }, [forget]);

  const signIn = useCallback(async (token: string) => {
    tokenStore.set(token, 'api');
    try {
      setMe(await call<Me>(api.GET('/api/v1/me')));
    } catch (err) {
      tokenStore.clear();
      throw err;
    }
  }, []);

  const signInWithPassword = useCallback(async (credentials: SignIn) => {
    const session = await call<SignedIn>(api.POST('/api/v1/sessions', { body: credentials }));
    tokenStore.set(session.token, 'session');
    setMe({ user: session.user, tenant: session.tenant, role: session.role, tokenId: session.tokenId });
  }, []);

  useEffect(() => {
    const stored = tokenStore.get();
    if (!stored) return;
    call<Me>(api.GET('/api/v1/me')).then(
      (m) => {
        setMe(m);
        setChecking(false);
      },
      () => {
        // a revoked or expired token: back to the sign-in page
        tokenStore.clear();
        setChecking(false);
      },
    );
  }, []);

  useEffect(() => {
    // the token stopped working (revoked, expired): nothing to revoke, only to forget
    const onUnauthorized = () => forget();
    window.addEventListener('switchyard:unauthorized', onUnauthorized);
    return () => window.removeEventListener('switchyard:unauthorized', onUnauthorized);
  }, [forget]);

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

export const isStaff = (me: Me | null) => me?.role === 'admin' || me?.role === 'operator';
