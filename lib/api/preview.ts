import 'server-only';
import { createHash } from 'node:crypto';
import { evaluatePreconditions } from '@/lib/conditional-request';
import { findPreview } from '@/lib/db/queries';
import { AppError, errorResponse } from '@/lib/errors';
import { lookupFile } from '@/lib/files';

type Context = { params: Promise<{ uuid: string }> };

// A preview changes only when a crawl draws a new version of its file; past five minutes a client asks
// again, and is answered 304 by the ETag while the image is the same.
const CACHE_CONTROL = 'public, max-age=300';

/** The PNG of a recording's preview, drawn by the crawler (crawler/preview-image.ts); 404 with the reason when it has none. */
export async function GET(request: Request, { params }: Context): Promise<Response> {
  try {
    const file = lookupFile((await params).uuid);
    const preview = findPreview(file);
    if (preview?.status !== 'drawn' || !preview.png) {
      const why = preview?.reason ?? 'the crawler has not drawn one for this version of the file';
      throw new AppError('not_found:preview', `this file has no preview: ${why}`);
    }
    const version = { etag: createHash('sha1').update(preview.png).digest('base64url').slice(0, 20), lastModified: preview.drawnAt };
    const headers = {
      ETag: `"${version.etag}"`,
      'Last-Modified': version.lastModified.toUTCString(),
      'Cache-Control': CACHE_CONTROL,
    };
    const precondition = evaluatePreconditions(request.headers, version);
    if (precondition.status === 412) throw new AppError('precondition_failed:preview', 'the preview is not the version named by If-Match');
    if (precondition.status === 304) return new Response(null, { status: 304, headers });
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(preview.png), {
      headers: { ...headers, 'Content-Type': 'image/png', 'Content-Length': String(preview.png.length) },
    });
  } catch (error) {
    return errorResponse(error, 'files/[uuid]/preview.png');
  }
}

export const HEAD = GET;
