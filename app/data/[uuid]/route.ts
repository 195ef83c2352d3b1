import { AppError, errorResponse } from '@/lib/errors';
import { getConfig } from '@/lib/config';
import { headHeaders, lookupFile, presignFile, streamFile } from '@/lib/files';

export const dynamic = 'force-dynamic';

type Context = { params: Promise<{ uuid: string }> };

/** Size, type and version from the index, without asking S3: h5wasm and other range readers start here. */
export async function HEAD(_request: Request, { params }: Context): Promise<Response> {
  try {
    const file = lookupFile((await params).uuid);
    return new Response(null, { status: 200, headers: headHeaders(file) });
  } catch (error) {
    return errorResponse(error, 'data/[uuid] HEAD');
  }
}

/**
 * With DATA_MODE=proxy, the bytes streamed by the app. Otherwise a redirect to a presigned S3 URL for exactly this object: the bytes go from S3 to the client. The redirect
 * may be cached for half the URL's lifetime, so a reader fetching many ranges asks the app once and a cached
 * redirect never points at an expired URL.
 */
export async function GET(request: Request, { params }: Context): Promise<Response> {
  try {
    const file = lookupFile((await params).uuid);
    if (getConfig().dataMode === 'proxy') return await streamFile(file, request.headers.get('range'), request.signal);
    const download = new URL(request.url).searchParams.get('download') === '1';
    const { url, expiresIn } = await presignFile(file, { download });
    return new Response(null, {
      status: 302,
      headers: { Location: url, 'Cache-Control': `private, max-age=${Math.floor(expiresIn / 2)}` },
    });
  } catch (error) {
    return errorResponse(error, 'data/[uuid] GET');
  }
}

function methodNotAllowed(): Response {
  const error = new AppError('method_not_allowed:file', 'files are read with GET or HEAD');
  const response = error.toResponse();
  response.headers.set('Allow', 'GET, HEAD');
  return response;
}

export { methodNotAllowed as POST, methodNotAllowed as PUT, methodNotAllowed as PATCH, methodNotAllowed as DELETE };
