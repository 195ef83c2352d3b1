import { readdirSync } from 'node:fs';
import { setPriority } from 'node:os';

/**
 * Sets the scheduling priority (nice value) of every thread of a process. Linux keeps one per thread:
 * setpriority() on a process changes only its calling thread, and the threads Node started before (V8's
 * garbage collection and compiler threads) would go on competing at the old priority; threads started
 * later inherit the caller's. False when not permitted (raising a priority needs privileges; some container
 * runtimes refuse any change).
 */
export function setProcessPriority(niceness: number, pid = process.pid): boolean {
  let threads: number[];
  try {
    threads = readdirSync(`/proc/${pid}/task`).map(Number);
  } catch {
    threads = [pid]; // No /proc (macOS): the process's main thread.
  }
  let changed = false;
  for (const thread of threads) {
    try {
      setPriority(thread, niceness);
      changed = true;
    } catch {
      // Not permitted, or the thread has ended.
    }
  }
  return changed;
}
