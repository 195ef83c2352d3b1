import 'server-only';
import { errorResponse } from '@/lib/errors';
import { evaluatePreconditions } from '@/lib/conditional-request';
import { headHeaders, lookupFile, preconditionResponse, presignFile, streamFile, streamsThroughApp } from '@/lib/files';

type Context = { params: Promise<{ uuid: string }> };

/** Size, type and version from the index, without asking S3: h5wasm and other range readers start here. */
export async function HEAD(request: Request, { params }: Context): Promise<Response> {
  try {
    const file = lookupFile((await params).uuid);
    const precondition = evaluatePreconditions(request.headers, file);
    if (precondition.status !== 'proceed') return preconditionResponse(precondition.status, file);
    return new Response(null, { status: 200, headers: headHeaders(file) });
  } catch (error) {
    return errorResponse(error, 'data/[uuid] HEAD');
  }
}

/**
 * A redirect to a presigned S3 URL for exactly this object: the bytes go from S3 to the client. The redirect
 * may be cached for half the URL's lifetime, so a reader fetching many ranges asks the app once and a cached
 * redirect never points at an expired URL. With DATA_MODE=proxy, and for keys no URL can name, the bytes are
 * streamed by the app. Preconditions are judged against the indexed version first.
 */
export async function GET(request: Request, { params }: Context): Promise<Response> {
  try {
    const file = lookupFile((await params).uuid);
    const precondition = evaluatePreconditions(request.headers, file);
    if (precondition.status !== 'proceed') return preconditionResponse(precondition.status, file);
    const download = new URL(request.url).searchParams.get('download') === '1';
    if (streamsThroughApp(file)) {
      return await streamFile(file, { range: precondition.honourRange ? request.headers.get('range') : null, download, signal: request.signal });
    }
    const { url, expiresIn } = await presignFile(file, { download });
    return new Response(null, {
      status: 302,
      headers: { Location: url, 'Cache-Control': `private, max-age=${Math.floor(expiresIn / 2)}` },
    });
  } catch (error) {
    return errorResponse(error, 'data/[uuid] GET');
  }
}
