// The signed-in user: the API key (sessionStorage `jxc.apiKey`, this tab only), who it is (GET /api/me) and
// an API client acting with it. Signing out, or any 401 from the API, forgets the key.
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';

import { type ApiClient, ApiRequestError, createApiClient } from '../api/client';
import type { Me } from '../api/types';

const API_KEY_STORAGE_KEY = 'jxc.apiKey';

export interface Session {
  readonly me: Me;
  readonly api: ApiClient;
  signOut(): void;
}

type State =
  | { readonly status: 'checking' }
  | { readonly status: 'signed-out'; readonly error?: ApiRequestError }
  | { readonly status: 'signed-in'; readonly key: string; readonly me: Me };

interface SessionContextValue {
  readonly state: State;
  signIn(key: string): Promise<void>;
  signOut(refusal?: ApiRequestError): void;
}

const SessionContext = createContext<SessionContextValue | undefined>(undefined);

function storedKey(): string | null {
  try {
    return sessionStorage.getItem(API_KEY_STORAGE_KEY);
  } catch {
    return null;
  }
}

function forgetKey(): void {
  try {
    sessionStorage.removeItem(API_KEY_STORAGE_KEY);
  } catch {
    // nothing stored
  }
}

/** Who `key` is, or the API's refusal. */
async function whoIs(key: string): Promise<Me> {
  return createApiClient(key).get<Me>('/me');
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<State>(() => (storedKey() ? { status: 'checking' } : { status: 'signed-out' }));

  // Sign-out, or a 401 from the API (the key was revoked or expired): the key is forgotten, and the sign-in
  // page says why when the API did.
  const signOut = useCallback((refusal?: ApiRequestError) => {
    forgetKey();
    setState(refusal instanceof ApiRequestError ? { status: 'signed-out', error: refusal } : { status: 'signed-out' });
  }, []);

  const signIn = useCallback(async (key: string) => {
    const me = await whoIs(key);
    sessionStorage.setItem(API_KEY_STORAGE_KEY, key);
    setState({ status: 'signed-in', key, me });
  }, []);

  // A key kept from earlier in this tab (a reload): check it is still valid.
  useEffect(() => {
    const key = storedKey();
    if (!key) return;
    let current = true;
    whoIs(key).then(
      (me) => current && setState({ status: 'signed-in', key, me }),
      (error: unknown) => {
        if (!current) return;
        if (error instanceof ApiRequestError && error.status === 401) forgetKey();
        setState({ status: 'signed-out', ...(error instanceof ApiRequestError ? { error } : {}) });
      },
    );
    return () => {
      current = false;
    };
  }, []);

  const value = useMemo(() => ({ state, signIn, signOut }), [state, signIn, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSessionState(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSessionState outside SessionProvider');
  return value;
}

/** The signed-in session (only under the signed-in shell). */
export function useSession(): Session {
  const { state, signOut } = useSessionState();
  const key = state.status === 'signed-in' ? state.key : undefined;
  const api = useMemo(() => createApiClient(key ?? '', signOut), [key, signOut]);
  if (state.status !== 'signed-in') throw new Error('useSession while signed out');
  return { me: state.me, api, signOut };
}

/** The API client of the signed-in user. */
export function useApi(): ApiClient {
  return useSession().api;
}
