import { afterEach, describe, expect, it, vi } from 'vitest';
import { getCrawlSchedule, getWakeSettings } from './config';

afterEach(() => vi.unstubAllEnvs());

const settings = (env: Record<string, string>) => {
  for (const name of ['CRAWL_WAKE_LISTEN', 'CRAWL_WAKE_URL', 'CRAWL_WAKE_SECRET']) vi.stubEnv(name, env[name] ?? '');
  return getWakeSettings();
};

describe('the wake endpoint settings', () => {
  it('are off when unset or empty (as compose passes an unset variable)', () => {
    expect(settings({})).toEqual({ listen: undefined, url: undefined, secret: undefined });
  });
  it('need the shared secret on either side, and a long one', () => {
    expect(() => settings({ CRAWL_WAKE_URL: 'http://crawler:3001' })).toThrow(
      'CRAWL_WAKE_SECRET is required with CRAWL_WAKE_LISTEN or CRAWL_WAKE_URL',
    );
    expect(() => settings({ CRAWL_WAKE_LISTEN: '0.0.0.0:3001', CRAWL_WAKE_SECRET: 'short' })).toThrow(
      'CRAWL_WAKE_SECRET must be at least 16 characters',
    );
    expect(() => settings({ CRAWL_WAKE_LISTEN: '3001', CRAWL_WAKE_SECRET: 'a'.repeat(16) })).toThrow('CRAWL_WAKE_LISTEN must be host:port');
    expect(settings({ CRAWL_WAKE_LISTEN: '0.0.0.0:3001', CRAWL_WAKE_SECRET: 'a'.repeat(16) })).toEqual({
      listen: { host: '0.0.0.0', port: 3001 },
      url: undefined,
      secret: 'a'.repeat(16),
    });
  });
  it('never put the secret in an error', () => {
    expect(() => settings({ CRAWL_WAKE_URL: 'not a url', CRAWL_WAKE_SECRET: 'the-secret-value!' })).toThrow(
      /^CRAWL_WAKE_URL must be an http\(s\) URL$/,
    );
  });
});

describe('the crawl schedule', () => {
  it('runs recent passes every minute over three days unless told otherwise', () => {
    expect(getCrawlSchedule()).toEqual({ intervalHours: 6, recentSeconds: 60, recentDays: 3 });
    vi.stubEnv('CRAWL_RECENT_SECONDS', '0');
    vi.stubEnv('CRAWL_RECENT_DAYS', '7');
    expect(getCrawlSchedule()).toMatchObject({ recentSeconds: 0, recentDays: 7 });
    vi.stubEnv('CRAWL_RECENT_DAYS', '0');
    expect(() => getCrawlSchedule()).toThrow('CRAWL_RECENT_DAYS must be between 1 and 60 days');
  });
});
