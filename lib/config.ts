import { z } from 'zod';
import { MODALITIES } from '../contracts/filters';
import { firstIssue } from '../contracts/issues';

/**
 * The one place environment variables are read. Everything else receives a typed `Config`.
 * Error messages name the variable and the problem, never its value: some of these are secrets.
 */

const DEFAULT_PREFIXES = MODALITIES.join(',');

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const prefixName = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

const databasePath = z.string().min(1, 'must not be empty').default('data/search.db');

const envSchema = z
  .object({
    S3_ENDPOINT: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
    S3_PUBLIC_ENDPOINT: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
    S3_REGION: z
      .string()
      .regex(/^[a-z0-9-]+$/, 'must look like us-east-1')
      .default('us-east-1'),
    S3_BUCKET: z
      .string({ error: 'is required (the bucket to index, e.g. braingeneers)' })
      .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'is not a valid bucket name'),
    S3_PROFILE: z.string().min(1).optional(),
    S3_FORCE_PATH_STYLE: booleanFlag.optional(),
    S3_MAX_ATTEMPTS: z.coerce.number({ error: 'must be a number' }).int().min(1).max(20).default(5),
    S3_PREFIXES: z
      .string()
      .default(DEFAULT_PREFIXES)
      .transform((v) =>
        v
          .split(',')
          .map((p) => p.trim().replace(/\/+$/, ''))
          .filter(Boolean),
      )
      .pipe(z.array(z.string().regex(prefixName, 'must be comma-separated folder names without slashes')).min(1, 'must name at least one prefix')),
    DATABASE_PATH: databasePath,
    PRESIGN_TTL_SECONDS: z.coerce
      .number({ error: 'must be a number of seconds' })
      .int()
      .min(60, 'must be between 60 and 604800 seconds')
      .max(604_800, 'must be between 60 and 604800 seconds')
      .default(3600),
    DATA_MODE: z.enum(['redirect', 'proxy'], { error: 'must be redirect or proxy' }).default('redirect'),
    SEARCH_CACHE_MB: z.coerce
      .number({ error: 'must be a number of megabytes' })
      .min(0, 'must be 0 (off) or more')
      .max(4096, 'must be at most 4096')
      .default(64),
    PAGE_CACHE_MB: z.coerce
      .number({ error: 'must be a number of megabytes' })
      .min(0, 'must be 0 (off) or more')
      .max(4096, 'must be at most 4096')
      .default(128),
    SEARCH_TIME_LIMIT_SECONDS: z.coerce
      .number({ error: 'must be a number of seconds' })
      .min(1, 'must be between 1 and 300 seconds')
      .max(300, 'must be between 1 and 300 seconds')
      .default(10),
    SEARCH_STALE_SECONDS: z.coerce
      .number({ error: 'must be a number of seconds' })
      .min(0, 'must be between 0 and 3600 seconds')
      .max(3600, 'must be between 0 and 3600 seconds')
      .default(5),
    ROBOTS: z.enum(['allow', 'disallow'], { error: 'must be allow or disallow' }).default('allow'),
    HEALTH_MAX_CRAWL_AGE_HOURS: z.coerce
      .number({ error: 'must be a number of hours' })
      .positive('must be more than 0 hours')
      .max(24 * 365, 'must be at most a year')
      .default(24),
    SITE_URL: z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL like https://search.example.org' })
      .transform((v) => v.replace(/\/+$/, ''))
      .optional(),
    TRUST_FORWARDED_HEADERS: booleanFlag.default(false),
    AWS_ACCESS_KEY_ID: z.string().min(1).optional(),
    AWS_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  })
  .superRefine((env, ctx) => {
    if (Boolean(env.AWS_ACCESS_KEY_ID) !== Boolean(env.AWS_SECRET_ACCESS_KEY)) {
      const missing = env.AWS_ACCESS_KEY_ID ? 'AWS_SECRET_ACCESS_KEY' : 'AWS_ACCESS_KEY_ID';
      ctx.addIssue({ code: 'custom', path: [missing], message: 'is required when the other AWS key is set' });
    }
  });

export interface Config {
  s3: {
    endpoint: string | undefined;
    publicEndpoint: string | undefined;
    region: string;
    bucket: string;
    profile: string | undefined;
    forcePathStyle: boolean;
    maxAttempts: number;
    /** Lifetime of presigned file URLs. */
    presignTtlSeconds: number;
  };
  prefixes: string[];
  databasePath: string;
  /** How /data/<uuid> serves bytes: a redirect to S3 (browsers reach the bucket) or streamed by the app. */
  dataMode: 'redirect' | 'proxy';
  /** Bytes of search answers kept per server process (0: none). */
  searchCacheBytes: number;
  /** Bytes of rendered experiment pages the front process keeps (0: none). */
  pageCacheBytes: number;
  /** A search running longer is stopped (its thread ended) and answered 503. */
  searchTimeLimitMs: number;
  /** How long searches may go on answering from the index as it was after the crawler commits again. */
  searchStaleMs: number;
  /** The site's public origin for canonical and unfurl links; unset: taken from each request's Host. */
  siteUrl: string | undefined;
  /** Whether X-Forwarded-Host/-Proto come from our own reverse proxy (anyone can send them otherwise). */
  trustForwardedHeaders: boolean;
  /** robots.txt: pages open to crawlers (APIs and file bytes never), or nothing. */
  robots: 'allow' | 'disallow';
  /** /api/health reports the index as stale when its last good crawl finished longer ago than this. */
  healthMaxCrawlAgeHours: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

function parseOrThrow<T>(schema: z.ZodType<T>, env: NodeJS.ProcessEnv): T {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  throw new ConfigError(firstIssue(result.error, { fallback: 'environment' }));
}

export function parseConfig(env: NodeJS.ProcessEnv): Config {
  const e = parseOrThrow(envSchema, env);
  return {
    s3: {
      endpoint: e.S3_ENDPOINT,
      publicEndpoint: e.S3_PUBLIC_ENDPOINT ?? e.S3_ENDPOINT,
      region: e.S3_REGION,
      bucket: e.S3_BUCKET,
      profile: e.S3_PROFILE,
      // Ceph and other self-hosted endpoints rarely have wildcard DNS for virtual-host buckets.
      forcePathStyle: e.S3_FORCE_PATH_STYLE ?? e.S3_ENDPOINT !== undefined,
      maxAttempts: e.S3_MAX_ATTEMPTS,
      presignTtlSeconds: e.PRESIGN_TTL_SECONDS,
    },
    prefixes: e.S3_PREFIXES,
    databasePath: e.DATABASE_PATH,
    dataMode: e.DATA_MODE,
    searchCacheBytes: Math.round(e.SEARCH_CACHE_MB * 1024 * 1024),
    pageCacheBytes: Math.round(e.PAGE_CACHE_MB * 1024 * 1024),
    searchTimeLimitMs: e.SEARCH_TIME_LIMIT_SECONDS * 1000,
    searchStaleMs: e.SEARCH_STALE_SECONDS * 1000,
    siteUrl: e.SITE_URL,
    trustForwardedHeaders: e.TRUST_FORWARDED_HEADERS,
    healthMaxCrawlAgeHours: e.HEALTH_MAX_CRAWL_AGE_HOURS,
    robots: e.ROBOTS,
  };
}

let cached: Config | undefined;

/** The process's configuration, validated on first use. */
export function getConfig(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}

const logSchema = z.object({
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error'], { error: 'must be debug, info, warn or error' }).default('info'),
});

const serverSchema = z.object({
  PORT: z.coerce.number({ error: 'must be a port number' }).int().min(0, 'must be a port number').max(65535, 'must be a port number').default(3000),
  BIND_ADDRESS: z.string().min(1, 'must not be empty').default('0.0.0.0'),
  WEB_CONCURRENCY: z.coerce
    .number({ error: 'must be a number' })
    .int()
    .min(1, 'must be between 1 and 64')
    .max(64, 'must be between 1 and 64')
    .optional(),
});

/** Where `npm start` listens and how many search threads and page processes it runs (unset: lib/memory-limit.ts). */
export function getServerSettings(): { port: number; bindAddress: string; webConcurrency: number | undefined } {
  const e = parseOrThrow(serverSchema, process.env);
  return { port: e.PORT, bindAddress: e.BIND_ADDRESS, webConcurrency: e.WEB_CONCURRENCY };
}

/** What the server's supervisor tells the processes it forks (server/main.ts); not set by people. */
export function getServerRole(): { role: 'front' | 'pages' | undefined; pagesSocket: string | undefined } {
  const e = parseOrThrow(z.object({ SERVER_ROLE: z.enum(['front', 'pages']).optional(), PAGES_SOCKET: z.string().min(1).optional() }), process.env);
  return { role: e.SERVER_ROLE, pagesSocket: e.PAGES_SOCKET };
}

const recentDays = z.coerce
  .number({ error: 'must be a whole number of days' })
  .int('must be a whole number of days')
  .min(1, 'must be between 1 and 60 days')
  .max(60, 'must be between 1 and 60 days');

const scheduleSchema = z.object({
  CRAWL_INTERVAL_HOURS: z.coerce
    .number({ error: 'must be a number of hours' })
    .min(0.05, 'must be at least 0.05 hours')
    .max(24 * 30, 'must be at most 720 hours')
    .default(6),
  CRAWL_RECENT_SECONDS: z.coerce
    .number({ error: 'must be a number of seconds' })
    .int('must be a whole number of seconds')
    .min(0, 'must be 0 (off) or more')
    .max(86_400, 'must be at most 86400 seconds')
    .default(60),
  CRAWL_RECENT_DAYS: recentDays.default(3),
});

/**
 * `npm run crawl:schedule`: hours between the end of a successful crawl and the next; seconds between recent
 * passes in between (0: none); and how many days back a recent pass looks.
 */
export function getCrawlSchedule(): { intervalHours: number; recentSeconds: number; recentDays: number } {
  const e = parseOrThrow(scheduleSchema, process.env);
  return { intervalHours: e.CRAWL_INTERVAL_HOURS, recentSeconds: e.CRAWL_RECENT_SECONDS, recentDays: e.CRAWL_RECENT_DAYS };
}

// Compose files pass an unset variable on as an empty string (`${X:-}`): empty is unset.
const unlessEmpty = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

const wakeSchema = z
  .object({
    CRAWL_WAKE_LISTEN: unlessEmpty(
      z
        .string()
        .regex(/^[^\s:]+:\d{1,5}$/, 'must be host:port, e.g. 0.0.0.0:3001')
        .transform((v) => ({ host: v.slice(0, v.lastIndexOf(':')), port: Number(v.slice(v.lastIndexOf(':') + 1)) })),
    ),
    CRAWL_WAKE_URL: unlessEmpty(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' })),
    CRAWL_WAKE_SECRET: unlessEmpty(z.string().min(16, 'must be at least 16 characters')),
  })
  .refine((e) => e.CRAWL_WAKE_SECRET !== undefined || (e.CRAWL_WAKE_LISTEN === undefined && e.CRAWL_WAKE_URL === undefined), {
    path: ['CRAWL_WAKE_SECRET'],
    message: 'is required with CRAWL_WAKE_LISTEN or CRAWL_WAKE_URL',
  });

/**
 * The scheduler's wake endpoint (crawler/wake-server.ts): where it listens (`listen`, the crawler's side) and
 * where the site asks it to index a folder now (`url`, the site's side), with their shared secret.
 */
export function getWakeSettings(): { listen?: { host: string; port: number }; url?: string; secret?: string } {
  const e = parseOrThrow(wakeSchema, process.env);
  return { listen: e.CRAWL_WAKE_LISTEN, url: e.CRAWL_WAKE_URL, secret: e.CRAWL_WAKE_SECRET };
}

/** A number of days given on a command line (`npm run crawl -- --recent 3`), checked as CRAWL_RECENT_DAYS is. */
export const recentDaysSchema = recentDays;

/** Only `LOG_LEVEL`, for the loggers, which start before the rest of the configuration is read. */
export function getLogLevel(): z.infer<typeof logSchema>['LOG_LEVEL'] {
  return parseOrThrow(logSchema, process.env).LOG_LEVEL;
}

/** Only `DATABASE_PATH`, for tools that never talk to S3 (`npm run db:migrate`). */
export function getDatabasePath(): string {
  return parseOrThrow(z.object({ DATABASE_PATH: databasePath }), process.env).DATABASE_PATH;
}

/** Every variable a person may set, as the README's configuration table lists them (test/config-docs.test.ts). */
export const DOCUMENTED_VARIABLES = [
  ...Object.keys(envSchema.shape),
  ...Object.keys(serverSchema.shape),
  ...Object.keys(scheduleSchema.shape),
  ...Object.keys(wakeSchema.shape),
  ...Object.keys(logSchema.shape),
];
