import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The memory limit of this process's container, in bytes, or undefined where there is none: cgroup v2's
 * `memory.max` (`max` when unlimited), else cgroup v1's `memory.limit_in_bytes` (a number near 2^63 when
 * unlimited). `root` is where the cgroup file system is mounted.
 */
export function containerMemoryLimit(root = '/sys/fs/cgroup'): number | undefined {
  for (const file of ['memory.max', join('memory', 'memory.limit_in_bytes')]) {
    let text: string;
    try {
      text = readFileSync(join(root, file), 'utf8').trim();
    } catch {
      continue;
    }
    const bytes = Number(text);
    // v1 reports "no limit" as the largest page-aligned signed 64-bit number.
    return Number.isFinite(bytes) && bytes > 0 && bytes < 2 ** 60 ? bytes : undefined;
  }
  return undefined;
}

/**
 * What a search thread and a page process hold, measured over 100,000 experiments and 1,000,000 files: a
 * search thread about 350 MB after thousands of searches (bench:search: its catalog, its match sets, SQLite's
 * page cache), a page process about 270 MB after 1,200 pages and search pages. The front process adds its
 * caches of answers and pages (SEARCH_CACHE_MB, PAGE_CACHE_MB). The index's pages that all map in are the
 * kernel's to share and drop, and are not counted.
 */
export const MEMORY_PER_PROCESS_PAIR = 640 * 1024 * 1024;

/** Search threads and page processes for the server: one per core, as many as the memory limit holds, at least one. */
export function serverProcesses(cores: number, memoryLimit: number | undefined): number {
  return memoryLimit === undefined ? cores : Math.max(1, Math.min(cores, Math.floor(memoryLimit / MEMORY_PER_PROCESS_PAIR)));
}
