import { readdirSync, readFileSync } from 'node:fs';
import { setPriority } from 'node:os';

/**
 * Scheduling priorities for benchmarks that put on one machine what runs on several in production. Linux
 * keeps a nice value per thread, so every thread of a process is changed.
 */
export function setProcessPriority(pid: number, niceness: number): boolean {
  let changed = false;
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      setPriority(Number(task), niceness);
      changed = true;
    } catch {
      // Not permitted (not root), or the thread has ended.
    }
  }
  return changed;
}

/** Processes whose command line contains `text` (for daemons started by a launcher, such as Ceph's). */
export function processesMatching(text: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(text)) pids.push(Number(entry));
    } catch {
      // Ended meanwhile.
    }
  }
  return pids;
}
