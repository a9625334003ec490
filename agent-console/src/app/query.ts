import { QueryClient } from '@tanstack/react-query';

/**
 * Server state for the console's pages (@tanstack/react-query). Realtime events invalidate by key
 * (`realtime/connection.ts`), so lists refresh when the server says something changed.
 * Keys start with the resource: `['tickets', …]`, `['persons', …]`, `['staff', …]`.
 */
export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 10_000,
      refetchOnWindowFocus: false,
      retry: (failures, error) => failures < 2 && !isClientError(error),
    },
  },
});

function isClientError(error: unknown): boolean {
  const status = (error as { status?: number } | null)?.status;
  return typeof status === 'number' && status >= 400 && status < 500;
}

/** Mark every query of a resource stale (refetched if on screen). */
export function invalidate(resource: string): void {
  void queryClient.invalidateQueries({ queryKey: [resource] });
}
