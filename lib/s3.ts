import {
  GetBucketCorsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutBucketCorsCommand,
  S3Client,
  type CORSRule,
  type GetObjectCommandOutput,
  type _Object,
} from '@aws-sdk/client-s3';
import { fromIni, fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { Config } from './config';

/** Requests sent to S3, by command name, counting every attempt (retries included). */
export type S3RequestCounts = Record<string, number>;

export interface CountingS3Client {
  client: S3Client;
  counts(): S3RequestCounts;
}

export function createS3Client(s3: Config['s3'], options: { maxSockets?: number } = {}): CountingS3Client {
  const client = new S3Client({
    endpoint: s3.endpoint,
    region: s3.region,
    forcePathStyle: s3.forcePathStyle,
    // A named profile is how the lab runs it; otherwise the SDK's usual chain (env, default profile, IMDS…).
    credentials: s3.profile ? fromIni({ profile: s3.profile }) : fromNodeProviderChain(),
    maxAttempts: s3.maxAttempts,
    retryMode: 'standard',
    requestHandler: {
      connectionTimeout: 5_000,
      requestTimeout: 60_000,
      throwOnRequestTimeout: true,
      httpAgent: { keepAlive: true, maxSockets: options.maxSockets ?? 50 },
      httpsAgent: { keepAlive: true, maxSockets: options.maxSockets ?? 50 },
    },
  });
  const counts: S3RequestCounts = {};
  // The deserialize step runs once per attempt, inside the retry loop, so retries are counted too.
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = (context.commandName ?? 'Unknown').replace(/Command$/, '');
      counts[name] = (counts[name] ?? 0) + 1;
      return next(args);
    },
    { step: 'deserialize', name: 'countRequests' },
  );
  return { client, counts: () => ({ ...counts }) };
}

export interface ListedObject {
  key: string;
  size: number;
  etag: string;
  lastModified: Date;
}

/**
 * Listings are asked for with `EncodingType=url`: in XML, a carriage return in a key comes back as a line
 * feed (XML normalises line ends) and some characters cannot be sent at all. AWS encodes a space as `+` and
 * radosgw as `%20`; both encode a real `+` as `%2B`, so `+` always means a space. A server that ignores the
 * parameter says so by leaving EncodingType out of its answer, and its keys are taken as they are.
 */
function listedName(value: string, encoded: boolean): string {
  if (!encoded) return value;
  try {
    return decodeURIComponent(value.replaceAll('+', ' '));
  } catch {
    return value;
  }
}

function toListedObject(o: _Object, encoded: boolean): ListedObject | undefined {
  if (!o.Key) return undefined;
  return {
    key: listedName(o.Key, encoded),
    size: o.Size ?? 0,
    etag: (o.ETag ?? '').replaceAll('"', ''),
    lastModified: o.LastModified ?? new Date(0),
  };
}

/** Every object under `prefix`, page by page (ListObjectsV2 returns at most 1,000 keys a page). */
export async function* listObjects(client: S3Client, bucket: string, prefix: string, startAfter?: string): AsyncGenerator<ListedObject[]> {
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        Prefix: prefix,
        ContinuationToken: token,
        StartAfter: token ? undefined : startAfter,
        EncodingType: 'url',
      }),
    );
    const encoded = page.EncodingType === 'url';
    yield (page.Contents ?? []).flatMap((o) => toListedObject(o, encoded) ?? []);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
}

/**
 * The immediate sub-folders of `prefix` (which must end with `/`), e.g. the experiment folders of `ephys/`, in
 * S3's order; from after `startAfter` and while `while` holds, when given (`next`: the folder that ended it).
 */
export async function listFolders(
  client: S3Client,
  bucket: string,
  prefix: string,
  range: { startAfter?: string; while?: (folder: string) => boolean } = {},
): Promise<{ folders: string[]; next?: string }> {
  const folders: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        Prefix: prefix,
        Delimiter: '/',
        ContinuationToken: token,
        StartAfter: token ? undefined : range.startAfter,
        EncodingType: 'url',
      }),
    );
    const encoded = page.EncodingType === 'url';
    for (const p of page.CommonPrefixes ?? []) {
      if (!p.Prefix) continue;
      const folder = listedName(p.Prefix, encoded);
      // The first folder past the range ends the listing: no further page is asked for.
      if (range.while && !range.while(folder)) return { folders, next: folder };
      folders.push(folder);
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return { folders };
}

export class ObjectTooLargeError extends Error {
  override name = 'ObjectTooLargeError';
}

/** A body read to its end, refused (and its connection closed) as soon as it is longer than `maxBytes`. */
async function readAtMost(body: NonNullable<GetObjectCommandOutput['Body']>, maxBytes: number, key: string): Promise<Uint8Array> {
  const reader = body.transformToWebStream().getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    length += value.byteLength;
    if (length > maxBytes) {
      await reader.cancel().catch(() => {});
      throw new ObjectTooLargeError(`S3 sent more than ${maxBytes} bytes for ${key}`);
    }
    chunks.push(value);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

/** The object's bytes, refusing (before and while reading) anything larger than `maxBytes`. */
export async function getObjectBytes(client: S3Client, bucket: string, key: string, maxBytes: number): Promise<{ bytes: Uint8Array; etag: string }> {
  const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const body = response.Body;
  if (!body) throw new Error(`S3 returned no body for ${key}`);
  if ((response.ContentLength ?? 0) > maxBytes) {
    body
      .transformToWebStream()
      .cancel()
      .catch(() => {});
    throw new ObjectTooLargeError(`${response.ContentLength} bytes, over the ${maxBytes}-byte limit`);
  }
  const bytes = await readAtMost(body, maxBytes, key);
  return { bytes, etag: (response.ETag ?? '').replaceAll('"', '') };
}

export class RangeMismatchError extends Error {
  override name = 'RangeMismatchError';
}

/**
 * Bytes [start, end] (inclusive) of one version of an object: `If-Match` makes S3 refuse any other. What S3
 * answers is checked against what was asked: a server that ignores the range (s3rver does for `bytes=0-0`)
 * would otherwise have the whole object read into memory.
 */
export async function getObjectRange(client: S3Client, bucket: string, key: string, etag: string, start: number, end: number): Promise<Uint8Array> {
  if (!(Number.isSafeInteger(start) && Number.isSafeInteger(end) && start >= 0 && end >= start)) {
    throw new RangeError(`bytes=${start}-${end} is not a range of ${key}`);
  }
  const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key, IfMatch: `"${etag}"`, Range: `bytes=${start}-${end}` }));
  const body = response.Body;
  if (!body) throw new Error(`S3 returned no body for ${key}`);
  const length = end - start + 1;
  const served = /^bytes (\d+)-(\d+)\//.exec(response.ContentRange ?? '');
  const exact = served !== null && Number(served[1]) === start && Number(served[2]) <= end;
  if (!exact || (response.ContentLength ?? 0) > length) {
    body
      .transformToWebStream()
      .cancel()
      .catch(() => {});
    throw new RangeMismatchError(
      `S3 answered bytes=${start}-${end} of ${key} with ${response.ContentRange ?? `${response.ContentLength ?? '?'} bytes and no range`}`,
    );
  }
  return readAtMost(body, length, key);
}

/**
 * A one-line reason for an S3 failure, for logs and CLI output. Built from the error's code and status only:
 * S3 error messages and request details can carry signed URLs, which must not leak.
 */
export function describeS3Error(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const meta = (error as { $metadata?: { httpStatusCode?: number } }).$metadata;
  const code = (error as { code?: string }).code;
  const status = meta?.httpStatusCode;
  const hints: Record<string, string> = {
    SignatureDoesNotMatch: 'the secret key is wrong',
    InvalidAccessKeyId: 'the access key is unknown to the server',
    AccessDenied: 'the credentials may not read this bucket',
    NoSuchBucket: 'the bucket does not exist',
    CredentialsProviderError: 'no credentials found (set S3_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY)',
    ECONNREFUSED: 'connection refused: is S3_ENDPOINT right and the server up?',
    ENOTFOUND: 'the S3 host name does not resolve',
    TimeoutError: 'the request timed out',
  };
  const name = code && code !== error.name ? code : error.name;
  const hint = hints[name] ?? (status === undefined ? error.message.split('\n')[0] : undefined);
  return [name, status === undefined ? '' : ` (HTTP ${status})`, hint ? `: ${hint}` : ''].join('');
}

/** `Content-Disposition` for saving a file under `name`: ASCII-safe, with the exact name for browsers that read RFC 6266's filename*. */
export function attachmentDisposition(name: string): string {
  return `attachment; filename="${name.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/**
 * A presigned GET for exactly `key`, valid `expiresIn` seconds, for the endpoint browsers reach. With
 * `downloadName`, S3 answers with `Content-Disposition: attachment` for that name.
 */
export function presignGet(client: S3Client, input: { bucket: string; key: string; expiresIn: number; downloadName?: string }): Promise<string> {
  const disposition = input.downloadName ? attachmentDisposition(input.downloadName) : undefined;
  return getSignedUrl(client, new GetObjectCommand({ Bucket: input.bucket, Key: input.key, ResponseContentDisposition: disposition }), {
    expiresIn: input.expiresIn,
  });
}

/**
 * The bucket CORS a browser reader needs: GET and HEAD from the app's origins, the Range header, and the
 * headers a range reader looks at exposed to it.
 */
export function readerCorsRules(origins: string[]): CORSRule[] {
  return [
    {
      AllowedOrigins: origins,
      AllowedMethods: ['GET', 'HEAD'],
      AllowedHeaders: ['Range', 'If-Match', 'If-None-Match', 'If-Modified-Since'],
      ExposeHeaders: ['Content-Range', 'Content-Length', 'Accept-Ranges', 'ETag', 'Content-Type', 'Last-Modified'],
      MaxAgeSeconds: 3600,
    },
  ];
}

/**
 * A bucket policy that gives the site and the crawler only what they use: the site signs GETs of objects
 * (and, in proxy mode, reads them), the crawler lists the bucket and reads objects. Neither can write or
 * delete, so a compromised web or crawler process cannot change the lab's data. `web` and `crawler` are
 * principals (ARNs: `arn:aws:iam:::user/<uid>` for a radosgw user of the default tenant).
 */
export function leastPrivilegePolicy(bucket: string, principals: { web: string; crawler: string }) {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'SiteAndCrawlerReadObjects',
        Effect: 'Allow',
        Principal: { AWS: [principals.web, principals.crawler] },
        Action: ['s3:GetObject'],
        Resource: [`arn:aws:s3:::${bucket}/*`],
      },
      {
        Sid: 'CrawlerListsTheBucket',
        Effect: 'Allow',
        Principal: { AWS: [principals.crawler] },
        Action: ['s3:ListBucket'],
        Resource: [`arn:aws:s3:::${bucket}`],
      },
    ],
  };
}

export async function applyReaderCors(client: S3Client, bucket: string, origins: string[]): Promise<CORSRule[]> {
  await client.send(new PutBucketCorsCommand({ Bucket: bucket, CORSConfiguration: { CORSRules: readerCorsRules(origins) } }));
  return (await client.send(new GetBucketCorsCommand({ Bucket: bucket }))).CORSRules ?? [];
}
