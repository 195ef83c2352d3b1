// The demo's S3-compatible server: s3rver, pure Node, data kept in a folder between runs.
// Started by scripts/demo.ts with --openssl-legacy-provider: s3rver encrypts its pagination tokens with DES,
// which Node 20's OpenSSL 3 only offers through the legacy provider.
// @ts-expect-error s3rver ships no type declarations
import S3rver from 's3rver';

const [directory, port, bucket, address = '127.0.0.1'] = process.argv.slice(2);
if (!directory || !port || !bucket) {
  console.error('usage: demo-s3.ts <directory> <port> <bucket> [address]');
  process.exit(2);
}

const server = new S3rver({
  address,
  port: Number(port),
  directory,
  silent: true,
  configureBuckets: [{ name: bucket, configs: [] }],
});
await server.run();
console.log('ready');

const stop = () => server.close(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
