import { describe, expect, it } from 'vitest';
import { evaluatePreconditions } from './conditional-request';

const version = { etag: 'abc123', lastModified: new Date('2024-01-02T03:04:05.678Z') };
const judge = (headers: Record<string, string>) => evaluatePreconditions(new Headers(headers), version);

describe('evaluatePreconditions', () => {
  it('proceeds with the range when nothing is asked', () => {
    expect(judge({})).toEqual({ status: 'proceed', honourRange: true });
  });

  it.each([
    ['"abc123"', 'proceed'],
    ['"other", "abc123"', 'proceed'],
    ['*', 'proceed'],
    ['"other"', 412],
    ['W/"abc123"', 412],
    ['garbage', 412],
  ])('If-Match %s → %s', (header, status) => {
    expect(judge({ 'If-Match': header }).status).toBe(status);
  });

  it.each([
    ['"abc123"', 304],
    ['W/"abc123"', 304],
    ['"x", "abc123"', 304],
    ['*', 304],
    ['"other"', 'proceed'],
  ])('If-None-Match %s → %s', (header, status) => {
    expect(judge({ 'If-None-Match': header }).status).toBe(status);
  });

  it.each([
    ['"abc123"', true],
    ['"other"', false],
    ['W/"abc123"', false],
    ['Tue, 02 Jan 2024 03:04:05 GMT', true],
    ['Tue, 02 Jan 2024 03:04:06 GMT', false],
    ['not a date', false],
  ])('If-Range %s → range honoured: %s', (header, honourRange) => {
    expect(judge({ 'If-Range': header })).toEqual({ status: 'proceed', honourRange });
  });

  it('judges If-Match before If-None-Match', () => {
    expect(judge({ 'If-Match': '"other"', 'If-None-Match': '"abc123"' }).status).toBe(412);
  });
});
