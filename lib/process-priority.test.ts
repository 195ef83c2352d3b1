import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'bgs-priority-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// In a child process, so that this test's runner keeps its priority.
const CHILD = `
import { readdirSync, readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { setProcessPriority } from ${JSON.stringify(join(import.meta.dirname, 'process-priority.ts'))};

// Field 19 of /proc/<pid>/task/<tid>/stat, counted after the command name.
const nice = (tid) => Number(readFileSync('/proc/self/task/' + tid + '/stat', 'utf8').split(') ').at(-1).split(' ')[16]);
const threads = () => readdirSync('/proc/self/task');
const before = threads().length;
const changed = setProcessPriority(7);
const worker = new Worker('setInterval(() => {}, 1000)', { eval: true });
await new Promise((resolve) => worker.once('online', resolve));
console.log(JSON.stringify({ changed, before, nice: threads().map(nice) }));
await worker.terminate();
`;

describe('setProcessPriority', () => {
  it('sets every thread of the process, and threads started later inherit it', () => {
    const script = join(dir, 'child.mts');
    writeFileSync(script, CHILD);
    const { changed, before, nice } = JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8' })) as {
      changed: boolean;
      before: number;
      nice: number[];
    };
    expect(changed).toBe(true);
    // Node starts V8's and libuv's threads before any script runs: more than the main thread had to change.
    expect(before).toBeGreaterThan(1);
    expect(nice.length).toBeGreaterThan(before);
    expect(new Set(nice)).toEqual(new Set([7]));
  });
});
