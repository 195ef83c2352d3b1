import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// In a child process, whose stdout and stderr the test reads.
const CHILD = `
const { log, withRequestId } = await import(${JSON.stringify(join(import.meta.dirname, 'log.ts'))});
log('debug', 'event loop delay', { p99Ms: 3 });
log('info', 'request', { path: '/api/search', status: 200 });
withRequestId('req-7', () => log('warn', 'careful'));
log('error', 'broken', { route: 'api/health' });
`;

function run(env: Record<string, string> = {}) {
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CHILD], {
    cwd: join(import.meta.dirname, '..'),
    encoding: 'utf8',
    env: { PATH: process.env.PATH, NODE_ENV: 'test', ...env },
  });
  const lines = (text: string) =>
    text
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { status: child.status, stdout: lines(child.stdout), stderr: lines(child.stderr) };
}

describe('log', () => {
  it('writes JSON lines with time, level and msg: info on stdout, warnings and errors on stderr, debug dropped by default', () => {
    const { status, stdout, stderr } = run();
    expect(status).toBe(0);
    expect(stdout).toEqual([{ time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), level: 'info', msg: 'request', path: '/api/search', status: 200 }]);
    expect(stderr).toEqual([
      expect.objectContaining({ level: 'warn', msg: 'careful', requestId: 'req-7' }),
      expect.objectContaining({ level: 'error', msg: 'broken', route: 'api/health' }),
    ]);
  });

  it('writes debug lines with LOG_LEVEL=debug, and only errors with LOG_LEVEL=error', () => {
    expect(run({ LOG_LEVEL: 'debug' }).stdout.map((l) => l.msg)).toEqual(['event loop delay', 'request']);
    const quiet = run({ LOG_LEVEL: 'error' });
    expect([quiet.stdout, quiet.stderr.map((l) => l.msg)]).toEqual([[], ['broken']]);
  });
});
