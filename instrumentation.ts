// Runs once when a server starts: a bad environment stops it with one line, and the index is migrated
// before the first request.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { prepareServer } = await import('./lib/server-start');
  prepareServer();
}
