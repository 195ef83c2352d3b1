import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { compressed } from './compress';

const ask = (encoding?: string) => new Request('http://app/api/files/x', { headers: encoding ? { 'accept-encoding': encoding } : {} });
const big = { manifest: 'A'.repeat(100_000) };

describe('compressed JSON answers', () => {
  it('gzips a large JSON answer for a client that accepts gzip, to the same JSON', async () => {
    const answer = await compressed(ask('gzip, deflate, br'), Response.json(big, { status: 200 }));
    expect(answer.headers.get('content-encoding')).toBe('gzip');
    expect(answer.headers.get('vary')).toContain('Accept-Encoding');
    const bytes = Buffer.from(await answer.arrayBuffer());
    expect(Number(answer.headers.get('content-length'))).toBe(bytes.length);
    expect(bytes.length).toBeLessThan(JSON.stringify(big).length / 10);
    expect(JSON.parse(gunzipSync(bytes).toString('utf8'))).toEqual(big);
  });

  it('leaves answers under 64 KiB (a search answer), other types and clients without gzip as they are', async () => {
    const small = await compressed(ask('gzip'), Response.json({ results: 'r'.repeat(30_000) }));
    expect(small.headers.get('content-encoding')).toBeNull();
    expect(await small.json()).toEqual({ results: 'r'.repeat(30_000) });
    const bytes = await compressed(ask('gzip'), new Response('x'.repeat(100_000), { headers: { 'content-type': 'application/octet-stream' } }));
    expect(bytes.headers.get('content-encoding')).toBeNull();
    const plain = await compressed(ask(), Response.json(big));
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(await plain.json()).toEqual(big);
  });

  it('keeps the status of an error answer', async () => {
    const answer = await compressed(ask('gzip'), Response.json({ error: { message: 'x'.repeat(100_000) } }, { status: 404 }));
    expect(answer.status).toBe(404);
    expect(answer.headers.get('content-encoding')).toBe('gzip');
  });
});
