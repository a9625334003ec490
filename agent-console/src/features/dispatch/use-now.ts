import { useEffect, useState } from 'react';

/**
 * The current time in ms, re-rendering every `intervalMs` (for countdowns). One timer per component;
 * stopped on unmount.
 * @example const now = useNow(1000);
 */
export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = window.setInterval(() => setNow(Date.now()), intervalMs);
    return () => window.clearInterval(id);
  }, [intervalMs]);
  return now;
}
