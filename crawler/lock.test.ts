import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { acquireCrawlLock } from './lock';

const dir = mkdtempSync(join(tmpdir(), 'bgs-lock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A process holding the lock until it is killed. */
async function holder(path: string) {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '-e',
      `
    const { acquireCrawlLock } = await import(${JSON.stringify(new URL('./lock.ts', import.meta.url).pathname)});
    // Kept referenced: a collected connection closes, and its lock goes with it.
    globalThis.lock = acquireCrawlLock(${JSON.stringify(path)});
    console.log(globalThis.lock ? 'held' : 'busy');
    setInterval(() => {}, 1000);
  `,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const [line] = (await once(child.stdout!, 'data')) as [Buffer];
  return { child, state: line.toString().trim() };
}

describe('acquireCrawlLock', () => {
  it('lets one crawl in at a time, and frees the lock when its holder is killed', async () => {
    const path = join(dir, 'search.db');
    const first = await holder(path);
    expect(first.state).toBe('held');
    expect(acquireCrawlLock(path)).toBeNull();
    first.child.kill('SIGKILL');
    await once(first.child, 'exit');
    const mine = acquireCrawlLock(path);
    expect(mine).not.toBeNull();
    const second = await holder(path);
    expect(second.state).toBe('busy');
    second.child.kill('SIGKILL');
    mine!.release();
    const again = acquireCrawlLock(path);
    expect(again).not.toBeNull();
    again!.release();
  });
});
