/**
 * Run a transaction again when it lost a race on a unique index (PostgreSQL 23505): two first presses of
 * one person, or one alarm sent twice at the same moment. The retry sees the winner's committed row and
 * takes the "already there" path. PGlite serializes transactions, so this only matters on PostgreSQL.
 */
export async function retryOnUniqueViolation<T>(work: () => Promise<T>, attempts = 3): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await work();
    } catch (err) {
      const code = (err as { driverError?: { code?: string }; code?: string }).driverError?.code ?? (err as { code?: string }).code;
      if (code !== '23505' || i >= attempts) throw err;
    }
  }
}
