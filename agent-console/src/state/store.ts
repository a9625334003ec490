import { useRef, useSyncExternalStore } from 'react';

/** A tiny observable value: `get`, `set` (value or updater), `subscribe`. */
export interface Store<T> {
  get(): T;
  set(next: T | ((prev: T) => T)): void;
  subscribe(listener: () => void): () => void;
}

/** @example const count = createStore(0); count.set((n) => n + 1); */
export function createStore<T>(initial: T): Store<T> {
  let value = initial;
  const listeners = new Set<() => void>();
  return {
    get: () => value,
    set(next) {
      const v = typeof next === 'function' ? (next as (prev: T) => T)(value) : next;
      if (Object.is(v, value)) return;
      value = v;
      for (const l of [...listeners]) l();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/**
 * Read a store (or a slice of it) in a component; re-renders when the slice changes. The slice is computed
 * once per store value and selector, so a selector may build new arrays or objects safely.
 */
export function useStore<T, S = T>(store: Store<T>, select: (value: T) => S = (v) => v as unknown as S): S {
  const cache = useRef<{ value: T; select: (value: T) => S; selected: S } | null>(null);
  const snapshot = () => {
    const value = store.get();
    const c = cache.current;
    if (c && c.value === value && c.select === select) return c.selected;
    const selected = select(value);
    cache.current = { value, select, selected };
    return selected;
  };
  return useSyncExternalStore(store.subscribe, snapshot);
}
