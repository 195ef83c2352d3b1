import { z } from 'zod';

/**
 * What the site asks the crawl scheduler's wake endpoint (crawler/wake-server.ts), and what it answers: index
 * one experiment folder now, because a link to it came before the crawl did. Never trusted for content: it
 * names a folder to list, which must be `<prefix>/<folder name>` (a prefix the crawler indexes, checked
 * there), and no more.
 */

export const experimentFolder = z
  .string()
  .max(600, 'must be at most 600 characters')
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*\/[^/]+$/, 'must be <prefix>/<folder name>')
  .refine((folder) => !['.', '..'].includes(folder.slice(folder.indexOf('/') + 1)), 'must not be . or ..');

export const wakeRequest = z.object({ folder: experimentFolder });
export type WakeRequest = z.infer<typeof wakeRequest>;

/**
 * A bucket notification as radosgw posts it (the S3 event format): only each record's object key is read,
 * for the folder it is in.
 */
export const bucketEvents = z.object({
  Records: z.array(z.object({ s3: z.object({ object: z.object({ key: z.string().max(1024) }) }) })).max(1000),
});

/** `indexed`: whether the folder is in the index after the pass (false: the bucket has no such folder). */
export const wakeAnswer = z.object({ indexed: z.boolean() });
export type WakeAnswer = z.infer<typeof wakeAnswer>;
