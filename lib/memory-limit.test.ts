import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../test/support/index';
import { containerMemoryLimit, serverProcesses } from './memory-limit';

let dir: ReturnType<typeof tempDir> | undefined;
afterEach(() => dir?.remove());

function cgroup(files: Record<string, string>): string {
  dir = tempDir('cgroup');
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir.path, name, '..'), { recursive: true });
    writeFileSync(join(dir.path, name), text);
  }
  return dir.path;
}

describe('containerMemoryLimit', () => {
  it('reads cgroup v2, where "max" means none', () => {
    expect(containerMemoryLimit(cgroup({ 'memory.max': '4294967296\n' }))).toBe(4 * 1024 ** 3);
    expect(containerMemoryLimit(cgroup({ 'memory.max': 'max\n' }))).toBeUndefined();
  });

  it('reads cgroup v1, where the largest number means none', () => {
    expect(containerMemoryLimit(cgroup({ 'memory/memory.limit_in_bytes': '1073741824\n' }))).toBe(1024 ** 3);
    expect(containerMemoryLimit(cgroup({ 'memory/memory.limit_in_bytes': '9223372036854771712\n' }))).toBeUndefined();
  });

  it('is undefined without a cgroup file system', () => {
    expect(containerMemoryLimit(cgroup({}))).toBeUndefined();
  });
});

describe('serverProcesses', () => {
  it('runs a search thread and a page process per core, as many as the memory limit holds, at least one', () => {
    expect(serverProcesses(8, undefined)).toBe(8);
    expect(serverProcesses(8, 4 * 1024 ** 3)).toBe(6);
    expect(serverProcesses(2, 4 * 1024 ** 3)).toBe(2);
    expect(serverProcesses(8, 1.5 * 1024 ** 3)).toBe(2);
    expect(serverProcesses(2, 1024 ** 3)).toBe(1);
    expect(serverProcesses(2, 256 * 1024 ** 2)).toBe(1);
  });
});
