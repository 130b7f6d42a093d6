import type { ConnectionStatus } from '../api';

const label: Record<ConnectionStatus, string> = {
  connecting: 'Connecting…',
  open: 'Live',
  reconnecting: 'Reconnecting…',
  closed: 'Offline',
};

/** ConnectionIndicator shows the WebSocket's state: a trader must know when prices are not live. */
export function ConnectionIndicator({ status }: { status: ConnectionStatus }) {
  return (
    <span className={`conn conn-${status}`} role="status" aria-live="polite" data-testid="connection-status" data-status={status}>
      <span className="dot" aria-hidden="true" />
      {label[status]}
    </span>
  );
}
