import { parseArgs } from 'node:util';
import { z } from 'zod';
import { firstIssue } from '../../contracts/issues';

/** A whole-number flag of a benchmark, in [min, max]. */
export const countFlag = (fallback: number, min = 1, max = 10_000_000) => {
  const range = `must be a whole number from ${min} to ${max}`;
  return z.coerce.number({ error: range }).int(range).min(min, range).max(max, range).default(fallback);
};

/**
 * A benchmark's flags (`--name value`, and `--name` alone for those in `switches`), checked by `schema` as
 * the CLI's are: a wrong value stops the run with the flag's name and what is wrong, rather than running
 * with NaN.
 */
export function benchFlags<S extends z.ZodObject>(schema: S, switches: string[] = []): z.infer<S> {
  const options = Object.fromEntries(
    Object.keys(schema.shape).map((name) => [name, { type: switches.includes(name) ? ('boolean' as const) : ('string' as const) }]),
  );
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({ options, strict: true, allowPositionals: false }));
  } catch (error) {
    console.error(
      `error: ${(error as Error).message}; the flags are ${Object.keys(options)
        .map((name) => `--${name}`)
        .join(', ')}`,
    );
    process.exit(2);
  }
  const parsed = schema.safeParse(values);
  if (parsed.success) return parsed.data;
  console.error(`error: ${firstIssue(parsed.error, { prefix: '--' })}`);
  process.exit(2);
}
