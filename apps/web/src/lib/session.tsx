import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, call, tokenStore } from '../api/client';
import type { Me } from '../api/types';

interface Session {
  me: Me | null;
  /** True while a stored token is being checked at start-up. */
  checking: boolean;
  signIn: (token: string) => Promise<void>;
  signOut: () => void;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);
  const [checking, setChecking] = useState(() => tokenStore.get() !== null);

  const signOut = useCallback(() => {
    tokenStore.clear();
    setMe(null);
  }, []);

  const signIn = useCallback(async (token: string) => {
    tokenStore.set(token);
    try {
      setMe(await call<Me>(api.GET('/api/v1/me')));
    } catch (err) {
      tokenStore.clear();
      throw err;
    }
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
    const onUnauthorized = () => signOut();
    window.addEventListener('switchyard:unauthorized', onUnauthorized);
    return () => window.removeEventListener('switchyard:unauthorized', onUnauthorized);
  }, [signOut]);

  const value = useMemo(() => ({ me, checking, signIn, signOut }), [me, checking, signIn, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}

export const isStaff = (me: Me | null) => me?.role === 'admin' || me?.role === 'operator';
