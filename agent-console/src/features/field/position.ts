/**
 * The browser's position for a check-in, when the worker allows it: null when refused, unavailable or slow
 * (the check-in goes ahead without it).
 */
export function currentPosition(timeoutMs = 8000): Promise<{ lat: number; lng: number; accuracyM?: number } | null> {
  if (typeof navigator === 'undefined' || !navigator.geolocation) return Promise.resolve(null);
  return new Promise((resolve) => {
    const timer = window.setTimeout(() => resolve(null), timeoutMs + 500);
    navigator.geolocation.getCurrentPosition(
      (p) => {
        window.clearTimeout(timer);
        resolve({ lat: p.coords.latitude, lng: p.coords.longitude, ...(Number.isFinite(p.coords.accuracy) ? { accuracyM: Math.round(p.coords.accuracy) } : {}) });
      },
      () => {
        window.clearTimeout(timer);
        resolve(null);
      },
      { enableHighAccuracy: true, timeout: timeoutMs, maximumAge: 60_000 },
    );
  });
}
