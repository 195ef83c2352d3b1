import { monitorEventLoopDelay } from 'node:perf_hooks';
import { log } from '@/lib/log';

const INTERVAL_MS = 10_000;
const ms = (nanoseconds: number) => Math.round(nanoseconds / 1e5) / 10;

/**
 * Logs, every 10 s, how late the event loop ran its timers: the time every request arriving then waited
 * before this process could look at it, whatever held the loop (a long search, a catalog reload, GC).
 */
export function logEventLoopDelay(): void {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  setInterval(() => {
    log('info', 'event loop delay', { p50Ms: ms(histogram.percentile(50)), p99Ms: ms(histogram.percentile(99)), maxMs: ms(histogram.max) });
    histogram.reset();
  }, INTERVAL_MS).unref();
}
