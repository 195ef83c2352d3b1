import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Runs a command to its end and answers its output; a failure names the command and ends with its stderr. */
export async function commandOutput(
  file: string,
  args: string[],
  options: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<{ stdout: string; stderr: string }> {
  try {
    return await run(file, args, { maxBuffer: 256 * 1024 ** 2, timeout: options.timeoutMs ?? 120_000, env: options.env });
  } catch (error) {
    const { stderr = '', stdout = '' } = error as { stderr?: string; stdout?: string };
    throw new Error(`${file} ${args.slice(0, 2).join(' ')} failed: ${(error as Error).message.split('\n')[0]}\n${(stdout + stderr).slice(-4000)}`);
  }
}

/** commandOutput's stdout. */
export const command = async (...args: Parameters<typeof commandOutput>) => (await commandOutput(...args)).stdout;

export const docker = (args: string[], timeoutMs?: number) => command('docker', args, { timeoutMs });

/** `docker <kind> inspect <name>`, parsed. */
export async function inspect<T>(kind: 'image' | 'container', name: string): Promise<T> {
  const [first] = JSON.parse(await docker([kind, 'inspect', name])) as T[];
  return first!;
}

/** A container's output so far, its stdout and stderr apart (as `docker logs` writes them). */
export const containerLogs = (name: string) => commandOutput('docker', ['logs', name]);
