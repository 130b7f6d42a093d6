import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiFailure, errorText, useSession } from '../../api';

// Where signing in fails for a reason that reads differently on this screen than elsewhere.
const signInWords: Record<string, string> = {
  NOT_AVAILABLE: 'Signing in is not available on this exchange.',
  UNAUTHENTICATED: 'The exchange did not accept the sign-in. Check the key ID and secret and try again.',
};

function signInError(e: unknown): string {
  if (e instanceof ApiFailure && signInWords[e.code]) return signInWords[e.code]!;
  return errorText(e);
}

/**
 * SignIn is the screen shown while no session exists: the trader signs one request with their API key.
 * The secret lives in this form's state only, is cleared as soon as it has been sent, and is never written
 * anywhere else (no storage, no URL); the session that follows is an HttpOnly cookie.
 */
export function SignIn({ notice }: { notice?: string | undefined }) {
  const session = useSession();
  const [keyId, setKeyId] = useState('');
  const [secret, setSecret] = useState('');
  const [error, setError] = useState<string>();
  const [pending, setPending] = useState(false);
  const [showNotice, setShowNotice] = useState(true);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (pending || !session) return;
    const id = keyId.trim();
    const sec = secret.trim();
    if (!id || !sec) {
      setError(!id ? 'Enter your API key ID.' : 'Enter the secret of your API key.');
      return;
    }
    setSecret('');
    setError(undefined);
    setShowNotice(false);
    setPending(true);
    try {
      await session.signIn(id, sec);
    } catch (err) {
      if (mounted.current) setError(signInError(err));
    } finally {
      if (mounted.current) setPending(false);
    }
  };

  return (
    <div className="signin-page">
      <form className="signin panel" onSubmit={(e) => void submit(e)} data-testid="signin-form" aria-labelledby="signin-title" noValidate>
        <div className="brand">crypto-oms</div>
        <h1 id="signin-title">Sign in</h1>
        {notice && showNotice && (
          <p className="note" role="status" data-testid="signin-notice">
            {notice}
          </p>
        )}
        <label>
          API key ID
          <input
            name="keyId"
            value={keyId}
            onChange={(e) => setKeyId(e.target.value)}
            autoComplete="off"
            autoCapitalize="off"
            spellCheck={false}
            autoFocus
            disabled={pending}
          />
        </label>
        <label>
          Secret
          <input
            name="secret"
            type="password"
            value={secret}
            onChange={(e) => setSecret(e.target.value)}
            autoComplete="off"
            autoCapitalize="off"
            spellCheck={false}
            disabled={pending}
          />
        </label>
        {error && (
          <p className="note error" role="alert" data-testid="signin-error">
            {error}
          </p>
        )}
        <button type="submit" className="submit primary" disabled={pending} data-testid="signin-submit">
          {pending ? 'Signing in…' : 'Sign in'}
        </button>
        <p className="muted small hint">
          Use an API key of your account (an operator's admin key opens the operator view). The secret signs this one request and is not kept: the session lasts until
          you sign out or it expires.
        </p>
      </form>
    </div>
  );
}

/** SessionChecking is the neutral screen while the start-up session check runs. */
export function SessionChecking() {
  return (
    <div className="signin-page" data-testid="session-checking">
      <p className="muted" role="status">
        Connecting to the exchange…
      </p>
    </div>
  );
}

/** SessionUnreachable is shown when the start-up check got no answer; the trader retries. */
export function SessionUnreachable({ error, onRetry }: { error: string; onRetry: () => void }) {
  return (
    <div className="signin-page">
      <div className="signin panel" data-testid="session-unreachable">
        <div className="brand">crypto-oms</div>
        <p className="note error" role="alert">
          {error}
        </p>
        <button type="button" onClick={onRetry}>
          Retry
        </button>
      </div>
    </div>
  );
}
