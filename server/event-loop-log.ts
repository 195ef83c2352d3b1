import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { log } from '@/lib/log';

const INTERVAL_MS = 10_000;
// Held longer than this at the 99th percentile, requests were kept waiting: worth a warning. Below it the
// line is debug (LOG_LEVEL=debug; bench:load reads it), so the demo's terminal is not filled with it.
const HIGH_P99_MS = 100;
const ms = (nanoseconds: number) => Math.round(nanoseconds / 1e5) / 10;

/**
 * Logs, every 10 s, how late the event loop ran its timers (the time every request arriving then waited
 * before this process could look at it, whatever held the loop) and how much of it garbage collection took:
 * at debug level, or as a warning when it is high.
 */
export function logEventLoopDelay(): void {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  const gc = { totalMs: 0, maxMs: 0 };
  new PerformanceObserver((entries) => {
    for (const entry of entries.getEntries()) {
      gc.totalMs += entry.duration;
      gc.maxMs = Math.max(gc.maxMs, entry.duration);
    }
  }).observe({ entryTypes: ['gc'] });
  setInterval(() => {
    const p99Ms = ms(histogram.percentile(99));
    log(p99Ms > HIGH_P99_MS ? 'warn' : 'debug', 'event loop delay', {
      p50Ms: ms(histogram.percentile(50)),
      p99Ms,
      maxMs: ms(histogram.max),
      gcTotalMs: Math.round(gc.totalMs),
      gcMaxMs: Math.round(gc.maxMs),
    });
    histogram.reset();
    gc.totalMs = 0;
    gc.maxMs = 0;
  }, INTERVAL_MS).unref();
}
