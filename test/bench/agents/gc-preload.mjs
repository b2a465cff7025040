// Loaded into the measured processes with --expose-gc. On SIGUSR2: a full garbage collection,
// then one line with the process's memory, so the bench reads live memory, not leftovers of the
// connection storm (resident memory rarely shrinks after a collection).
process.on('SIGUSR2', () => {
  globalThis.gc?.();
  const { rss, heapUsed, external } = process.memoryUsage();
  process.stdout.write(`MEMORY ${JSON.stringify({ rss, live: heapUsed + external })}\n`);
});
