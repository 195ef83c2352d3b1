import { readFileSync } from 'node:fs';

// Linux reports CPU times in clock ticks of 1/100 s (USER_HZ) on every architecture Node runs on.
const TICKS_PER_SECOND = 100;

/** CPU seconds (user + system, all threads) a process has used; undefined once it has ended. */
function cpuSeconds(pid: number): number | undefined {
  try {
    // Fields after the command name, which may itself hold spaces and parentheses.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').at(-1)!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** Seconds the machine's CPUs spent busy, idle, and taken by the hypervisor for other guests (steal). */
function machineSeconds(): { busy: number; idle: number; steal: number } {
  const [user, nice, system, idle, iowait, irq, softirq, steal] = readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]!
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number) as number[];
  return {
    busy: (user! + nice! + system! + irq! + softirq!) / TICKS_PER_SECOND,
    idle: (idle! + iowait!) / TICKS_PER_SECOND,
    steal: steal! / TICKS_PER_SECOND,
  };
}

/**
 * Where the CPUs' time goes while a benchmark runs: CPU seconds per group of processes, read every second
 * (so a process that ends meanwhile still counts), and the machine's busy, idle and stolen time.
 * `groups()` is asked again at each reading, for processes that start later.
 */
export function watchCpu(groups: () => Record<string, number[]>) {
  const first = new Map<number, number>();
  const last = new Map<number, number>();
  const groupOf = new Map<number, string>();
  const machineStart = machineSeconds();
  /** At the first reading, processes already running count from what they have used so far; later ones from 0. */
  const read = (atStart = false) => {
    for (const [group, pids] of Object.entries(groups())) {
      for (const pid of pids) {
        const seconds = cpuSeconds(pid);
        if (seconds === undefined) continue;
        groupOf.set(pid, group);
        if (!first.has(pid)) first.set(pid, atStart ? seconds : 0);
        last.set(pid, seconds);
      }
    }
  };
  read(true);
  const timer = setInterval(() => read(), 1000);
  return {
    stop() {
      read();
      clearInterval(timer);
      const machine = machineSeconds();
      const byGroup: Record<string, number> = {};
      for (const [pid, seconds] of last) byGroup[groupOf.get(pid)!] = (byGroup[groupOf.get(pid)!] ?? 0) + seconds - first.get(pid)!;
      return {
        byGroup,
        busy: machine.busy - machineStart.busy,
        idle: machine.idle - machineStart.idle,
        steal: machine.steal - machineStart.steal,
      };
    },
  };
}
