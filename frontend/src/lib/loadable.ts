/**
 * Loadable is what every piece of remote state looks like to a component: it is loading, it has data
 * (possibly stale while the stream reconnects or resyncs), or it failed with a message a trader can read.
 */
export type Loadable<T> =
  | { status: 'loading' }
  | { status: 'ready'; data: T; stale: boolean }
  | { status: 'error'; error: string };

export const loading: Loadable<never> = { status: 'loading' };

export function ready<T>(data: T, stale = false): Loadable<T> {
  return { status: 'ready', data, stale };
}

export function failed(error: string): Loadable<never> {
  return { status: 'error', error };
}

/** dataOf returns the data if there is any (stale or not). */
export function dataOf<T>(l: Loadable<T>): T | undefined {
  return l.status === 'ready' ? l.data : undefined;
}

/** mapLoadable transforms the data and keeps the state. */
export function mapLoadable<T, U>(l: Loadable<T>, f: (t: T) => U): Loadable<U> {
  return l.status === 'ready' ? { status: 'ready', data: f(l.data), stale: l.stale } : l;
}
