/**
 * Large JSON answers gzip-compressed for clients that accept it: `/api/files/<uuid>?manifest=1`, whose
 * recording manifest (its structure and chunk index, base64 in JSON) is a few hundred KB, shrinks to a
 * fraction, and it is the first thing the viewer waits for. Search answers (tens of KB, on the hot path of
 * typing) and file bytes are left alone: on the lab's network compressing them costs more than it saves.
 */

const MIN_BYTES = 64 * 1024;

function acceptsGzip(request: Request): boolean {
  return /\bgzip\b/i.test(request.headers.get('accept-encoding') ?? '');
}

export async function compressed(request: Request, response: Response): Promise<Response> {
  const type = response.headers.get('content-type') ?? '';
  if (!type.startsWith('application/json') || response.headers.has('content-encoding') || !response.body || !acceptsGzip(request)) {
    return response;
  }
  const body = await response.arrayBuffer();
  const headers = new Headers(response.headers);
  headers.append('Vary', 'Accept-Encoding');
  if (body.byteLength < MIN_BYTES) return new Response(body, { status: response.status, statusText: response.statusText, headers });
  const zipped = await new Response(new Blob([body]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer();
  headers.set('Content-Encoding', 'gzip');
  headers.set('Content-Length', String(zipped.byteLength));
  return new Response(zipped, { status: response.status, statusText: response.statusText, headers });
}
