import { useState } from 'react';
import { errorText, useSession } from '../../api';

/** AccountMenu is the topbar's signed-in account and its Sign out button (nothing without a session). */
export function AccountMenu() {
  const session = useSession();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string>();
  const s = session?.state.status === 'signed-in' ? session.state.session : null;
  if (!session || !s) return null;
  const signOut = async () => {
    setPending(true);
    setError(undefined);
    try {
      await session.signOut();
    } catch (e) {
      // Still signed in: the cookie could not be cleared. Say so and let the trader try again.
      setError(`Sign-out failed: ${errorText(e)}`);
      setPending(false);
    }
  };
  return (
    <span className="account" data-testid="account">
      <span className="account-id" title={`API key ${s.keyId}`} data-testid="account-id">
        {s.accountId}
      </span>
      <button type="button" className="link" onClick={() => void signOut()} disabled={pending} data-testid="sign-out">
        Sign out
      </button>
      {error && (
        <span className="error small" role="alert" data-testid="sign-out-error">
          {error}
        </span>
      )}
    </span>
  );
}
