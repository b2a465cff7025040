import pg from 'pg';

/**
 * Runs `work` and counts the statements this process sends PostgreSQL meanwhile (every
 * `pg.Client#query`, transaction control included): how a test proves that a request's cost in
 * queries does not grow with the size of what it reads.
 */
export async function countStatements<T>(work: () => Promise<T>): Promise<{ result: T; statements: number }> {
  const original = pg.Client.prototype.query;
  let statements = 0;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    statements += 1;
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof original;
  try {
    const result = await work();
    return { result, statements };
  } finally {
    pg.Client.prototype.query = original;
  }
}
