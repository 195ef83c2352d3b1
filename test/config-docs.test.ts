import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DOCUMENTED_VARIABLES } from '../lib/config';
import { BROKEN_METADATA_KEYS } from '../scripts/demo-bucket/catalog';
import { DEMO_BUCKET, DEMO_S3_CREDENTIALS, DEMO_S3_DEFAULT_PORT } from '../scripts/demo-bucket/location';

/**
 * Every variable lib/config.ts reads is in the README's configuration table, and every row of the table is
 * one it reads (as datasette's tests/test_docs.py holds its settings to its docs).
 */
function readmeVariables(): string[] {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('\n## ', readme.indexOf('## Configuration') + 1));
  return section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .flatMap((line) => [...line.split('|')[1]!.matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((m) => m[1]!));
}

describe('the README documents the configuration', () => {
  it('lists exactly the variables lib/config.ts reads', () => {
    const documented = readmeVariables();
    expect(documented.length).toBeGreaterThan(10);
    expect([...new Set(documented)].sort()).toEqual([...new Set(DOCUMENTED_VARIABLES)].sort());
  });
});

describe('the README describes the demo as it is', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

  it('counts its broken metadata files', () => {
    expect(readme).toContain(`${BROKEN_METADATA_KEYS.length} broken \`metadata.json\` files`);
  });

  it('gives the bucket, endpoint and credentials to crawl it with', () => {
    expect(readme).toContain(`S3_ENDPOINT=http://127.0.0.1:${DEMO_S3_DEFAULT_PORT} S3_BUCKET=${DEMO_BUCKET}`);
    expect(readme).toContain(`AWS_ACCESS_KEY_ID=${DEMO_S3_CREDENTIALS.accessKeyId} AWS_SECRET_ACCESS_KEY=${DEMO_S3_CREDENTIALS.secretAccessKey}`);
  });
});
