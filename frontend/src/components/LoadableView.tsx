import type { ReactNode } from 'react';
import type { Loadable } from '../lib/loadable';

/** LoadableView renders the three states of a Loadable the same way everywhere. */
export function LoadableView<T>(props: { value: Loadable<T>; children: (data: T, stale: boolean) => ReactNode; loadingText?: string }) {
  const v = props.value;
  if (v.status === 'loading') return <div className="muted pad">{props.loadingText ?? 'Loading…'}</div>;
  if (v.status === 'error') return <div className="error pad" role="alert">{v.error}</div>;
  return <div className={v.stale ? 'stale' : undefined} title={v.stale ? 'Reconnecting: this data may be out of date' : undefined}>{props.children(v.data, v.stale)}</div>;
}
