import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// In a child process: the test runner's own console stays as it is.
const CHILD = `
const { sendConsoleToLog } = await import(${JSON.stringify(join(import.meta.dirname, 'console-log.ts'))});
sendConsoleToLog();
console.log('\\x1b[32m✓\\x1b[39m Running next.config took 4ms');
console.log('');
console.info('%s of %d', 'one', 2);
console.warn('careful');
console.error(new Error('render failed'));
`;

describe('sendConsoleToLog', () => {
  it('turns each console call into one JSON line: colours stripped, stack traces kept in the line, empty calls dropped', () => {
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CHILD], {
      cwd: join(import.meta.dirname, '..'),
      encoding: 'utf8',
    });
    expect(child.status).toBe(0);
    const lines = (text: string) =>
      text
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { level: string; msg: string });
    expect(lines(child.stdout)).toEqual([
      expect.objectContaining({ level: 'info', msg: '✓ Running next.config took 4ms' }),
      expect.objectContaining({ level: 'info', msg: 'one of 2' }),
    ]);
    const [warning, error] = lines(child.stderr);
    expect(warning).toMatchObject({ level: 'warn', msg: 'careful' });
    expect(error!.level).toBe('error');
    expect(error!.msg).toMatch(/^Error: render failed\n\s+at /);
  });
});
