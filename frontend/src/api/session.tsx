// The browser session (docs/openapi.yaml, "Browser sessions"): who the dashboard is signed in as, and the
// transitions between signed out and signed in. At start-up GET /api/session decides; signing in signs
// POST /api/session once with the API key (the gateway answers with an HttpOnly cookie); any later call
// refused because the session is gone (client.ts, isSessionLost) signs the dashboard out again. The API
// secret never reaches this module's state: it goes from the sign-in form straight to RestClient.signIn.

import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { describe } from '../lib/errors';
import { ApiFailure } from './client';
import type { DataLayer } from './index';
import type { Session } from './types';

export type SessionState =
  | { status: 'checking' }
  /** notice says why the trader is signed out, when it was not their choice (e.g. the session expired). */
  | { status: 'signed-out'; notice?: string }
  /** session is null when the server offers no sessions (an older gateway): the dashboard runs as before. */
  | { status: 'signed-in'; session: Session | null }
  /** The start-up check could not be answered (network, 5xx): error is in words; retry asks again. */
  | { status: 'unreachable'; error: string };

export interface SessionApi {
  state: SessionState;
  /** signIn opens a session with an API key; it throws the ApiFailure that refused it. */
  signIn: (keyId: string, secret: string) => Promise<void>;
  /** signOut ends the session (DELETE /api/session); it throws when the exchange could not be reached. */
  signOut: () => Promise<void>;
  /** retry repeats the start-up check after it was unreachable. */
  retry: () => void;
}

const Ctx = createContext<SessionApi | null>(null);

/** lostNotice is what the sign-in screen says after a call found the session gone. */
function lostNotice(e: ApiFailure): string {
  // UNAUTHENTICATED mid-use is the browser having dropped the cookie at its Max-Age: it expired too.
  return describe(e.code === 'INVALID_SESSION' || e.code === 'SESSION_HEADER_REQUIRED' ? e.code : 'SESSION_EXPIRED');
}

/** startState turns the answer to the start-up GET /api/session into a state. */
function startState(e: unknown): SessionState {
  if (!(e instanceof ApiFailure)) return { status: 'unreachable', error: describe('NETWORK') };
  if (e.status === 401 || e.status === 403) {
    // No cookie is the ordinary case: just the sign-in screen. An expired or revoked one is worth a word.
    return e.code === 'SESSION_EXPIRED' || e.code === 'INVALID_SESSION' ? { status: 'signed-out', notice: describe(e.code) } : { status: 'signed-out' };
  }
  // No such route: a server without sessions (an older gateway, the mock); the dashboard works as before.
  if (e.status === 404) return { status: 'signed-in', session: null };
  return { status: 'unreachable', error: describe(e.code) };
}

/** SessionProvider owns the session state; render the data layer's consumers only while signed in. */
export function SessionProvider({ layer, children }: { layer: DataLayer; children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'checking' });
  const [attempt, setAttempt] = useState(0);
  const generation = useRef(0); // bumps on every transition: a late answer from before it is ignored

  useEffect(() => {
    const gen = ++generation.current;
    setState({ status: 'checking' });
    layer.rest.session().then(
      (s) => gen === generation.current && setState({ status: 'signed-in', session: s }),
      (e: unknown) => gen === generation.current && setState(startState(e)),
    );
  }, [layer, attempt]);

  useEffect(
    () =>
      layer.rest.onSessionLost((e) => {
        setState((prev) => {
          if (prev.status !== 'signed-in') return prev;
          generation.current++;
          return { status: 'signed-out', notice: lostNotice(e) };
        });
      }),
    [layer],
  );

  // Once signed out (the app and its WebSocket are unmounted by then), forget everything cached for the
  // account, so that whoever signs in next starts afresh.
  useEffect(() => {
    if (state.status === 'signed-out') layer.queryClient.clear();
  }, [state.status, layer]);

  const signIn = useCallback(
    async (keyId: string, secret: string) => {
      const gen = ++generation.current;
      const s = await layer.rest.signIn(keyId, secret);
      if (gen !== generation.current) return;
      layer.queryClient.clear();
      setState({ status: 'signed-in', session: s });
    },
    [layer],
  );

  const signOut = useCallback(async () => {
    await layer.rest.signOut();
    generation.current++;
    setState({ status: 'signed-out' });
  }, [layer]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  const api = useMemo(() => ({ state, signIn, signOut, retry }), [state, signIn, signOut, retry]);
  return <Ctx.Provider value={api}>{children}</Ctx.Provider>;
}

/** useSession is the session and its actions; null outside a SessionProvider (the app alone, in tests). */
export function useSession(): SessionApi | null {
  return useContext(Ctx);
}
