import type { z } from 'zod';

/**
 * The first problem zod found, as one line naming what it is about (`limit must be between 1 and 100`,
 * `--count must be a number`): what a 400, a CLI or a program's start says when its input is wrong.
 */
export function firstIssue(error: z.ZodError, options: { prefix?: string; fallback?: string } = {}): string {
  const issue = error.issues[0]!;
  // The field itself, not where in it: `species must be at most 200 characters`, whichever value it was.
  const subject = issue.path.length ? String(issue.path[0]) : (options.fallback ?? 'input');
  return `${options.prefix ?? ''}${subject} ${issue.message}`;
}
