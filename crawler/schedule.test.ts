import { describe, expect, it } from 'vitest';
import { nextCrawlAt } from './schedule';

describe('nextCrawlAt', () => {
  const HOUR = 3600_000;
  it('crawls at once when the index was never crawled or the interval has passed, else after the interval', () => {
    const now = Date.UTC(2026, 10, 24, 12);
    expect(nextCrawlAt(null, 6 * HOUR, now)).toBe(now);
    expect(nextCrawlAt(now - 7 * HOUR, 6 * HOUR, now)).toBe(now);
    expect(nextCrawlAt(now - 2 * HOUR, 6 * HOUR, now)).toBe(now + 4 * HOUR);
  });
});
