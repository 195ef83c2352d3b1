/**
 * Puts the demo objects into a bucket (creating it if needed). Objects already there with the
 * same bytes (same size and MD5 ETag) are skipped, so restarting the demo does not re-send the
 * 100 MB recording.
 */
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { CreateBucketCommand, HeadBucketCommand, HeadObjectCommand, PutObjectCommand, S3ServiceException, type S3Client } from '@aws-sdk/client-s3';
import pLimit from 'p-limit';
import type { DemoObject } from './experiment-files';

function isNotFound(error: unknown): boolean {
  return (
    error instanceof S3ServiceException && (error.$metadata.httpStatusCode === 404 || error.name === 'NotFound' || error.name === 'NoSuchBucket')
  );
}

async function ensureBucket(client: S3Client, bucket: string): Promise<void> {
  try {
    await client.send(new HeadBucketCommand({ Bucket: bucket }));
  } catch (error) {
    if (!isNotFound(error)) throw error;
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
  }
}

interface Digests {
  md5: string;
  /** Base64 of the big-endian CRC32, as S3's x-amz-checksum-crc32 header wants it. */
  crc32: string;
}

async function digestsOf(body: DemoObject['body']): Promise<Digests> {
  const md5 = createHash('md5');
  let crc = 0;
  const chunks: AsyncIterable<Buffer> | Buffer[] = Buffer.isBuffer(body) ? [body] : createReadStream(body.path);
  for await (const chunk of chunks) {
    md5.update(chunk);
    crc = crc32(chunk, crc);
  }
  const crcBytes = Buffer.alloc(4);
  crcBytes.writeUInt32BE(crc >>> 0);
  return { md5: md5.digest('hex'), crc32: crcBytes.toString('base64') };
}

const sizeOf = (body: DemoObject['body']): number => (Buffer.isBuffer(body) ? body.length : statSync(body.path).size);

async function isUpToDate(client: S3Client, bucket: string, object: DemoObject, digests: () => Promise<Digests>): Promise<boolean> {
  try {
    const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: object.key }));
    if (head.ContentLength !== sizeOf(object.body)) return false;
    return head.ETag?.replaceAll('"', '') === (await digests()).md5;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

export interface UploadSummary {
  uploaded: number;
  skipped: number;
  bytes: number;
}

export async function uploadDemoObjects(client: S3Client, bucket: string, objects: DemoObject[], concurrency = 8): Promise<UploadSummary> {
  await ensureBucket(client, bucket);
  const limit = pLimit(concurrency);
  const summary: UploadSummary = { uploaded: 0, skipped: 0, bytes: 0 };
  await Promise.all(
    objects.map((object) =>
      limit(async () => {
        let digests: Promise<Digests> | undefined;
        const getDigests = () => (digests ??= digestsOf(object.body));
        if (await isUpToDate(client, bucket, object, getDigests)) {
          summary.skipped++;
          return;
        }
        const length = sizeOf(object.body);
        const stream = !Buffer.isBuffer(object.body);
        await client.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: object.key,
            Body: Buffer.isBuffer(object.body) ? object.body : createReadStream(object.body.path),
            ContentLength: length,
            ContentType: object.contentType,
            // Given a stream and no checksum, the SDK computes one on the fly and sends the body
            // aws-chunked with a trailer, which s3rver stores verbatim (corrupting the file).
            // A checksum computed up front makes it send the plain bytes.
            ...(stream ? { ChecksumCRC32: (await getDigests()).crc32 } : {}),
          }),
        );
        summary.uploaded++;
        summary.bytes += length;
      }),
    ),
  );
  return summary;
}
