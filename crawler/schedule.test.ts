import { describe, expect, it } from 'vitest';
import { nextCrawlAt, nextRun } from './schedule';

const HOUR = 3600_000;
const MINUTE = 60_000;
const now = Date.UTC(2026, 10, 24, 12);

describe('nextCrawlAt', () => {
  it('crawls at once when the index was never crawled or the interval has passed, else after the interval', () => {
    expect(nextCrawlAt(null, 6 * HOUR, now)).toBe(now);
    expect(nextCrawlAt(now - 7 * HOUR, 6 * HOUR, now)).toBe(now);
    expect(nextCrawlAt(now - 2 * HOUR, 6 * HOUR, now)).toBe(now + 4 * HOUR);
  });
});

describe('nextRun', () => {
  const state = (lastFull: number | null, lastRecent: number | null = null, lastRecentAttempt: number | null = null) => ({
    lastFull,
    lastRecent,
    lastRecentAttempt,
  });
  it('crawls fully first when the index was never crawled, whatever the recent passes', () => {
    expect(nextRun(state(null, now - MINUTE), 6 * HOUR, MINUTE, now)).toEqual({ kind: 'full', at: now });
  });
  it('runs a recent pass a minute after the last run of either kind, between full crawls', () => {
    expect(nextRun(state(now - 10 * MINUTE), 6 * HOUR, MINUTE, now)).toEqual({ kind: 'recent', at: now });
    expect(nextRun(state(now - 10 * MINUTE, now - 20_000), 6 * HOUR, MINUTE, now)).toEqual({ kind: 'recent', at: now + 40_000 });
    // A full crawl that just finished covers the recent folders too.
    expect(nextRun(state(now - 10_000, now - 5 * MINUTE), 6 * HOUR, MINUTE, now)).toEqual({ kind: 'recent', at: now + 50_000 });
  });
  it('does not retry a failing pass at once: the last attempt counts', () => {
    expect(nextRun(state(now - HOUR, now - 30 * MINUTE, now - 1000), 6 * HOUR, MINUTE, now)).toEqual({ kind: 'recent', at: now + 59_000 });
  });
  it('lets the full crawl go first when it is due, and runs no recent pass when they are off', () => {
    expect(nextRun(state(now - 6 * HOUR, now - 10_000), 6 * HOUR, MINUTE, now)).toEqual({ kind: 'full', at: now });
    expect(nextRun(state(now - HOUR), 6 * HOUR, 0, now)).toEqual({ kind: 'full', at: now + 5 * HOUR });
  });
});
