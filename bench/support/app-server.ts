import { spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');

/** The production server (scripts/start.sh over the last `npm run build`), started and ready. */
export async function startAppServer(port: number, env: Record<string, string>): Promise<{ stop(): Promise<void> }> {
  const server = spawn('bash', ['scripts/start.sh'], {
    cwd: ROOT,
    env: { ...process.env, ...env, BIND_ADDRESS: '127.0.0.1', PORT: String(port) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const kill = () => server.kill('SIGTERM');
  process.on('exit', kill);
  await new Promise<void>((resolve, reject) => {
    server.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('Ready') && resolve());
    server.once('exit', (code) => reject(new Error(`the app server exited with ${code}`)));
  });
  return {
    stop: async () => {
      process.off('exit', kill);
      if (server.exitCode !== null) return;
      kill();
      await new Promise((resolve) => server.once('exit', resolve));
    },
  };
}

/** A keep-alive client of `connections` sockets; a request resolves to its status (0: it failed). */
export function httpClient(port: number, connections: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  return {
    send: (method: string, path: string) =>
      new Promise<number>((resolve) => {
        const req = request({ host: '127.0.0.1', port, path, method, agent }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
        // A failed request counts as an error in the figures rather than ending the run.
        req.on('error', () => resolve(0));
        req.end();
      }),
    close: () => agent.destroy(),
  };
}
