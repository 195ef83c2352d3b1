import { errorResponse } from '@/lib/errors';
import { contentTypeOf, lookupFile, presignFile } from '@/lib/files';

export const dynamic = 'force-dynamic';

/** Everything a browser reader needs in one request: what the file is, and a presigned URL to its bytes. */
export async function GET(_request: Request, { params }: { params: Promise<{ uuid: string }> }): Promise<Response> {
  try {
    const file = lookupFile((await params).uuid);
    const { url, expiresAt } = await presignFile(file);
    return Response.json(
      {
        uuid: file.uuid,
        key: file.key,
        size: file.size,
        etag: file.etag,
        lastModified: file.lastModified,
        contentType: contentTypeOf(file.key),
        experiment: file.experiment,
        url,
        expiresAt,
      },
      { headers: { 'Cache-Control': 'private, no-store' } },
    );
  } catch (error) {
    return errorResponse(error, 'api/files/[uuid]');
  }
}
