import { describe, expect, it } from 'vitest';
import { refusedRequest } from './request-guard';

describe('refusedRequest', () => {
  it('refuses methods other than GET and HEAD with 405', () => {
    for (const method of ['TRACE', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'CONNECT', 'PROPFIND']) {
      expect(refusedRequest(method, '/'), method).toMatchObject({ status: 405, code: 'method_not_allowed:request' });
    }
  });

  it('refuses . and .. segments, however escaped, and malformed escapes with 400', () => {
    for (const path of [
      '/data/..',
      '/data/%2e',
      '/data/%2E%2e',
      '/api/files/..',
      '/api/experiments/ephys/..',
      '/experiment/ephys/./x',
      '/experiment/ephys/%ff',
      '/experiment/%E0%A4%A',
    ]) {
      expect(refusedRequest('GET', path), path).toMatchObject({ status: 400, code: 'bad_request:path' });
    }
  });

  it('lets through every path a link of ours can make', () => {
    for (const path of [
      '/',
      '/api/search',
      '/experiment/ephys/2023-02-13-e-%252e%252e',
      '/experiment/ephys/caf%C3%A9',
      '/experiment/ephys/a%2Fb',
      '/data/0000070a-47df-5ee1-bcfa-9d46f7694c08',
      '/_next/static/chunks/x.js',
      '/experiment/ephys/...',
    ]) {
      expect(refusedRequest('GET', path), path).toBeUndefined();
      expect(refusedRequest('HEAD', path), path).toBeUndefined();
    }
  });
});
