import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Runs a command to its end and answers its stdout; a failure names the command and ends with its stderr. */
export async function command(file: string, args: string[], options: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<string> {
  try {
    const { stdout } = await run(file, args, { maxBuffer: 256 * 1024 ** 2, timeout: options.timeoutMs ?? 120_000, env: options.env });
    return stdout;
  } catch (error) {
    const { stderr = '', stdout = '' } = error as { stderr?: string; stdout?: string };
    throw new Error(`${file} ${args.slice(0, 2).join(' ')} failed: ${(error as Error).message.split('\n')[0]}\n${(stdout + stderr).slice(-4000)}`);
  }
}

export const docker = (args: string[], timeoutMs?: number) => command('docker', args, { timeoutMs });

/** `docker inspect` of one object, parsed. */
export async function inspect<T>(args: string[]): Promise<T> {
  const [first] = JSON.parse(await docker([...args.slice(0, -1), 'inspect', args.at(-1)!])) as T[];
  return first!;
}
