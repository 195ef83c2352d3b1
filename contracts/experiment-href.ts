/**
 * The address of an experiment's page (or one of its sub-resources): each segment percent-encoded, so a
 * folder named with a space, `%`, `?`, `#` or a line feed survives the URL. Shared by pages and the search
 * box, which runs in the browser.
 */
type ExperimentName = { prefix: string; uuid: string };

const segments = ({ prefix, uuid }: ExperimentName) => `${encodeURIComponent(prefix)}/${encodeURIComponent(uuid)}`;

export function experimentHref(experiment: ExperimentName, resource: '' | '/metadata' | '/card' = ''): string {
  return `/experiment/${segments(experiment)}${resource}`;
}

/** The experiment with every file, as JSON (`GET /api/experiments/<prefix>/<uuid>`). */
export function experimentApiHref(experiment: ExperimentName): string {
  return `/api/experiments/${segments(experiment)}`;
}
