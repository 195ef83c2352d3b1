import 'server-only';
import { z } from 'zod';
import { findHdf5Facts, findManifest } from '@/lib/db/queries';
import { AppError, errorResponse } from '@/lib/errors';
import { contentTypeOf, lookupFile, readerUrl } from '@/lib/files';
import { FILE_READERS, type FilesApiAnswer } from '@/contracts/files-api';
import { firstIssue } from '@/contracts/issues';

const READER_RANGE = `must be a whole number from 0 to ${FILE_READERS - 1}`;
const query = z.object({
  manifest: z.enum(['0', '1'], { message: 'must be 0 or 1' }).default('0'),
  reader: z.coerce
    .number({ message: READER_RANGE })
    .int({ message: READER_RANGE })
    .min(0, { message: READER_RANGE })
    .max(FILE_READERS - 1, { message: READER_RANGE })
    .default(0),
});

/**
 * Everything a browser reader needs in one request: what the file is and holds, where to read its bytes, and
 * with `?manifest=1` the bytes of its HDF5 structure the crawler recorded, which spare the reader a round
 * trip to S3 for each piece of structure it would otherwise discover one read at a time. `?reader=<n>`
 * gives a reader reading beside others a URL of its own (contracts/files-api.ts, FILE_READERS).
 */
export async function GET(request: Request, { params }: { params: Promise<{ uuid: string }> }): Promise<Response> {
  try {
    const parsed = query.safeParse(Object.fromEntries(new URL(request.url).searchParams));
    if (!parsed.success) throw new AppError('bad_request:query', firstIssue(parsed.error, { fallback: 'query' }));
    const file = lookupFile((await params).uuid);
    const { url, expiresAt } = await readerUrl(file, parsed.data.reader);
    const manifest = parsed.data.manifest === '1' ? findManifest(file) : undefined;
    const facts = findHdf5Facts(file);
    const answer: FilesApiAnswer = {
      uuid: file.uuid,
      key: file.key,
      size: file.size,
      etag: file.etag,
      lastModified: file.lastModified.toISOString(),
      contentType: contentTypeOf(file.key),
      experiment: file.experiment,
      url,
      expiresAt: expiresAt.toISOString(),
      ...(facts ? { summary: facts.summary, unreadable: facts.status === 'unreadable' ? facts.error : null } : {}),
      ...(parsed.data.manifest === '1' ? { manifest: manifest ? { ranges: manifest.ranges, bytes: manifest.bytes.toString('base64') } : null } : {}),
    };
    return Response.json(answer, { headers: { 'Cache-Control': 'private, no-store' } });
  } catch (error) {
    return errorResponse(error, 'api/files/[uuid]');
  }
}
