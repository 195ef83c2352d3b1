import 'server-only';
import { GetObjectCommand, type GetObjectCommandOutput } from '@aws-sdk/client-s3';
import { lookup } from 'mime-types';
import { z } from 'zod';
import { parseRange, type ByteRange } from './byte-range';
import { getConfig } from './config';
import { findIndexedFile, type IndexedFile } from './db/queries';
import { AppError } from './errors';
import { attachmentDisposition, createS3Client, describeS3Error, presignGet, type CountingS3Client } from './s3';
import { isHdf5Name } from '../hdf5/signature';

/**
 * Files as the site serves them: looked up by their stable uuid in the index, never by a key or path from
 * the request, so only what the crawler indexed is reachable.
 */

const fileUuid = z.uuid();

export function lookupFile(rawUuid: string): IndexedFile {
  const parsed = fileUuid.safeParse(rawUuid);
  if (!parsed.success) throw new AppError('bad_request:file', 'file id must be a UUID like 1b4e28ba-2fa1-5bd2-8a6b-0f0e6a4b1c2d');
  const file = findIndexedFile(parsed.data.toLowerCase());
  if (!file) throw new AppError('not_found:file', 'no such file in the index (it may have been removed from the bucket)');
  return file;
}

// HDF5 by its format (no registry names .nwb or .h5); the rest by mime-db, except what a browser would run
// as a page or script of this site when the app streams it (DATA_MODE=proxy): those are plain bytes.
const ACTIVE_TYPE =
  /^(text\/html|application\/xhtml|image\/svg|text\/xml|application\/xml|text\/javascript|application\/javascript|application\/ecmascript|text\/ecmascript)/;

export function contentTypeOf(key: string): string {
  const name = fileName(key);
  if (isHdf5Name(name)) return 'application/x-hdf5';
  const type = lookup(name);
  return type && !ACTIVE_TYPE.test(type) ? type : 'application/octet-stream';
}

export const fileName = (key: string) => key.slice(key.lastIndexOf('/') + 1);

/** HEAD answered from the index alone: the bytes' size, type and version, and that ranges are welcome. */
export function headHeaders(file: IndexedFile): Headers {
  return new Headers({
    'Accept-Ranges': 'bytes',
    'Content-Length': String(file.size),
    'Content-Type': contentTypeOf(file.key),
    ETag: `"${file.etag}"`,
    'Last-Modified': file.lastModified.toUTCString(),
    // The index changes only when a crawl runs; a minute keeps repeated HEADs off the server.
    'Cache-Control': 'public, max-age=60',
    // Bytes from the bucket, served from this site's origin when streamed: nothing in them may run here.
    'Content-Security-Policy': "sandbox; default-src 'none'",
  });
}

/**
 * Whether a URL can name this key. A browser resolves `.` and `..` path segments before it sends a request,
 * escaped or not (WHATWG URL: `%2e` is a dot too), so a presigned URL for `a/../b` would ask S3 for `b`.
 */
export function urlCanName(key: string): boolean {
  return !key.split('/').some((segment) => segment === '.' || segment === '..');
}

let presigner: CountingS3Client | undefined;

/**
 * A presigned GET of the file for browsers (S3_PUBLIC_ENDPOINT), with its expiry. `reader` n gets a URL n
 * seconds shorter-lived, which is its own (see FILE_READERS), never longer than PRESIGN_TTL_SECONDS.
 */
export async function presignFile(file: IndexedFile, options: { download?: boolean; reader?: number } = {}) {
  const { s3 } = getConfig();
  presigner ??= createS3Client({ ...s3, endpoint: s3.publicEndpoint });
  const expiresIn = Math.max(1, s3.presignTtlSeconds - (options.reader ?? 0));
  try {
    const url = await presignGet(presigner.client, {
      bucket: s3.bucket,
      key: file.key,
      expiresIn,
      downloadName: options.download ? fileName(file.key) : undefined,
    });
    return { url, expiresIn, expiresAt: new Date(Date.now() + expiresIn * 1000) };
  } catch (error) {
    // Signing is local; it fails only when no credentials can be found.
    throw new AppError('unavailable:s3', `cannot sign a URL for S3: ${describeS3Error(error)}`, { cause: error });
  }
}

/** Whether /data/<uuid> streams this file through the app rather than redirecting to S3. */
export function streamsThroughApp(file: IndexedFile): boolean {
  return getConfig().dataMode === 'proxy' || !urlCanName(file.key);
}

/** Where a browser reads the file's bytes: a presigned S3 URL, or /data/<uuid> when the app streams them. */
export async function readerUrl(file: IndexedFile, reader = 0): Promise<{ url: string; expiresAt: Date }> {
  if (!streamsThroughApp(file)) return presignFile(file, { reader });
  return { url: `/data/${file.uuid}`, expiresAt: new Date(Date.now() + getConfig().s3.presignTtlSeconds * 1000) };
}

/** A 304 or 412 for a precondition the request set (lib/conditional-request.ts). */
export function preconditionResponse(status: 304 | 412, file: IndexedFile): Response {
  if (status === 412) {
    return new AppError(
      'precondition_failed:file',
      `the indexed version of this file has ETag "${file.etag}", not the one the request requires`,
    ).toResponse();
  }
  const headers = headHeaders(file);
  headers.delete('Content-Length');
  headers.delete('Content-Type');
  return new Response(null, { status: 304, headers });
}

/** Exactly `length` bytes of `source` after its first `skip`; an error if it ends before them. */
function exactBytes(source: ReadableStream<Uint8Array>, skip: number, length: number): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  let toSkip = skip;
  let left = length;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      for (;;) {
        if (left === 0) {
          controller.close();
          await reader.cancel();
          return;
        }
        const { done, value } = await reader.read();
        // Erroring, not closing: the client's connection is cut rather than given a short body as whole.
        if (done) return controller.error(new Error(`S3 ended the body ${left} bytes short`));
        let chunk = value;
        if (toSkip > 0) {
          const dropped = Math.min(toSkip, chunk.length);
          chunk = chunk.subarray(dropped);
          toSkip -= dropped;
        }
        if (chunk.length === 0) continue;
        if (chunk.length > left) chunk = chunk.subarray(0, left);
        left -= chunk.length;
        controller.enqueue(chunk);
        return;
      }
    },
    cancel: (reason) => reader.cancel(reason),
  });
}

/** The bytes S3 says it sent: its Content-Range, or the whole object when it ignored the range. */
function servedRange(contentRange: string | undefined, size: number): ByteRange | undefined {
  if (contentRange === undefined) return { start: 0, end: size - 1 };
  const match = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(contentRange);
  return match ? { start: Number(match[1]), end: Number(match[2]) } : undefined;
}

let reader: CountingS3Client | undefined;

/**
 * The file's bytes streamed by the app (DATA_MODE=proxy, for buckets browsers cannot reach, and keys no URL
 * can name), honouring one Range. What S3 sends is checked against what was asked and cut to it: some
 * servers answer a range with more (s3rver sends the whole file for `bytes=0-0`), and the Content-Length
 * sent here is a promise about the body. The S3 read is tied to the client's request: when the client goes
 * away, the S3 request is aborted. `If-Match` makes S3 refuse an object replaced since the crawl rather than
 * serve different bytes.
 */
export async function streamFile(file: IndexedFile, options: { range: string | null; download: boolean; signal: AbortSignal }): Promise<Response> {
  const range = parseRange(options.range, file.size);
  const headers = headHeaders(file);
  headers.set('Cache-Control', 'private, no-store');
  if (options.download) headers.set('Content-Disposition', attachmentDisposition(fileName(file.key)));
  if (range === 'unsatisfiable') {
    headers.set('Content-Range', `bytes */${file.size}`);
    headers.delete('Content-Length');
    return new Response(null, { status: 416, headers });
  }
  const { s3 } = getConfig();
  reader ??= createS3Client(s3);
  let object: GetObjectCommandOutput;
  try {
    object = await reader.client.send(
      new GetObjectCommand({
        Bucket: s3.bucket,
        Key: file.key,
        IfMatch: `"${file.etag}"`,
        Range: range ? `bytes=${range.start}-${range.end}` : undefined,
      }),
      { abortSignal: options.signal },
    );
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status === 412) {
      throw new AppError('conflict:file', 'the file changed in the bucket since it was indexed; the next crawl will pick it up', { cause: error });
    }
    if (status === 404) throw new AppError('not_found:file', 'the file is no longer in the bucket', { cause: error });
    throw new AppError(
      status === 503 || status === undefined ? 'unavailable:s3' : 'bad_gateway:s3',
      `S3 did not serve the file: ${describeS3Error(error)}`,
      { cause: error },
    );
  }
  const wanted = range ?? { start: 0, end: file.size - 1 };
  const served = servedRange(object.ContentRange, file.size);
  if (!object.Body || !served || served.start > wanted.start || served.end < wanted.end) {
    object.Body?.transformToWebStream()
      .cancel()
      .catch(() => {});
    throw new AppError('bad_gateway:s3', `S3 answered bytes ${wanted.start}-${wanted.end} with ${object.ContentRange ?? 'no range'}`);
  }
  if (range) headers.set('Content-Range', `bytes ${range.start}-${range.end}/${file.size}`);
  headers.set('Content-Length', String(wanted.end - wanted.start + 1));
  const body = exactBytes(object.Body.transformToWebStream(), wanted.start - served.start, wanted.end - wanted.start + 1);
  return new Response(body, { status: range ? 206 : 200, headers });
}
