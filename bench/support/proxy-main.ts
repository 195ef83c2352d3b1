import { startS3Proxy } from '../../scripts/s3-proxy';

const [target, delay] = process.argv.slice(2);
const proxy = await startS3Proxy({ target: target!, delayMs: Number(delay) });
console.log(JSON.stringify({ endpoint: proxy.endpoint }));
process.on('SIGTERM', () => void proxy.stop().then(() => process.exit(0)));
