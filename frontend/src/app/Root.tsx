import { DataProvider, SessionProvider, useSession, type DataLayer } from '../api';
import { SessionChecking, SessionUnreachable, SignIn } from '../features/session/SignIn';
import { App } from './App';

/**
 * Root is the sign-in gate around the app: the session check at start-up, the sign-in screen while signed
 * out, and the app (its data layer, and so its WebSocket) only while signed in. Losing the session later
 * unmounts the app, which closes the WebSocket, and shows the sign-in screen again.
 */
export function Root({ layer }: { layer: DataLayer }) {
  return (
    <SessionProvider layer={layer}>
      <Gate layer={layer} />
    </SessionProvider>
  );
}

function Gate({ layer }: { layer: DataLayer }) {
  const session = useSession()!;
  const { state } = session;
  switch (state.status) {
    case 'checking':
      return <SessionChecking />;
    case 'unreachable':
      return <SessionUnreachable error={state.error} onRetry={session.retry} />;
    case 'signed-out':
      return <SignIn notice={state.notice} />;
    case 'signed-in':
      return (
        <DataProvider layer={layer}>
          <App />
        </DataProvider>
      );
  }
}
