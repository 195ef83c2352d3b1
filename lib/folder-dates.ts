/**
 * Experiment folders are named by the day they were made (`2023-04-02-e-hc328_unperturbed`): the recent pass
 * lists by it (crawler/list.ts), and the site knows by it which missing links may be newer than the index.
 */

/** The day a folder's name starts with (`YYYY-MM-DD`), or undefined for a folder not named by a date. */
export const folderDate = (name: string): string | undefined => /^(\d{4}-\d{2}-\d{2})/.exec(name)?.[1];

/** The UTC day `days` before `date`, as folder names write days. */
export const daysBefore = (date: Date, days: number): string => new Date(date.getTime() - days * 86_400_000).toISOString().slice(0, 10);
