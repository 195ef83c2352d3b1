import { describe, expect, it } from 'vitest';
import { matchDirectRoute } from './direct-routes';

describe('matchDirectRoute', () => {
  it('sends the route handlers Next.js would call, and leaves every other path to Next.js', () => {
    for (const [method, path] of [
      ['HEAD', '/data/0000070a-47df-5ee1-bcfa-9d46f7694c08'],
      ['GET', '/data/0000070a-47df-5ee1-bcfa-9d46f7694c08'],
      ['GET', '/api/search'],
      ['GET', '/api/health'],
      ['GET', '/api/experiments'],
      ['GET', '/api/experiments/ephys/2023-04-02-e-hc328_unperturbed'],
      ['GET', '/api/files/0000070a-47df-5ee1-bcfa-9d46f7694c08'],
    ]) {
      expect(matchDirectRoute(method!, path!), `${method} ${path}`).toBeTypeOf('function');
    }
    for (const [method, path] of [
      ['GET', '/'],
      ['GET', '/experiment/ephys/x'],
      ['GET', '/data/a/b'],
      ['GET', '/data/'],
      ['GET', '/api/search/'],
      ['POST', '/api/search'],
      ['DELETE', '/data/0000070a-47df-5ee1-bcfa-9d46f7694c08'],
      ['GET', '/_next/static/chunks/main.js'],
    ]) {
      expect(matchDirectRoute(method!, path!), `${method} ${path}`).toBeUndefined();
    }
  });

  it('passes decoded params, and a malformed escape as typed, to a handler that refuses them with 400', async () => {
    for (const path of ['/data/..%2F..%2Fetc%2Fpasswd', '/data/%E0%A4%A', `/data/${'a'.repeat(5000)}`]) {
      const response = await matchDirectRoute('HEAD', path)!(new Request(`http://localhost${path}`, { method: 'HEAD' }));
      expect(response.status, path).toBe(400);
    }
  });
});
