import { z } from 'zod';
import { firstIssue } from '../contracts/issues';
import { ConfigError } from '../lib/config';

/** Says what is wrong with a bucket script's flags or environment, and gives its exit code (2: the caller's mistake). */
export function reportStartupError(error: unknown): number {
  const message = error instanceof z.ZodError ? firstIssue(error, { prefix: '--' }) : (error as Error).message;
  console.error(`error: ${message}`);
  return error instanceof ConfigError || error instanceof z.ZodError || error instanceof TypeError ? 2 : 1;
}
