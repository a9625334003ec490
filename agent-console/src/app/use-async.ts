import { useCallback, useEffect, useRef, useState } from 'react';

export type AsyncState<T> = { status: 'loading'; data?: T } | { status: 'error'; error: unknown; data?: T } | { status: 'ready'; data: T };

/**
 * Load data for a screen: loading / error / ready, a `reload`, and no state updates after unmount or from a
 * stale request. Keeps the previous data while reloading, so lists do not flash empty.
 * @example const tickets = useAsync(() => api.tickets(filters), [filters]);
 */
export function useAsync<T>(load: () => Promise<T>, deps: readonly unknown[]): AsyncState<T> & { reload: () => void } {
  const [state, setState] = useState<AsyncState<T>>({ status: 'loading' });
  const [tick, setTick] = useState(0);
  const seq = useRef(0);
  useEffect(() => {
    const mine = ++seq.current;
    setState((s) => ({ status: 'loading', data: s.data }));
    load().then(
      (data) => mine === seq.current && setState({ status: 'ready', data }),
      (error: unknown) => mine === seq.current && setState((s) => ({ status: 'error', error, data: s.data })),
    );
    return () => {
      seq.current++;
    };
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { ...state, reload };
}
