import * as experiment from '@/lib/api/experiment';
import * as experiments from '@/lib/api/experiments';
import * as fileInfo from '@/lib/api/files';
import * as health from '@/lib/api/health';
import * as search from '@/lib/api/search';
import * as data from '@/lib/api/data';
import * as preview from '@/lib/api/preview';

/**
 * The app's route handlers, called directly by the server instead of through Next.js's request pipeline.
 * That pipeline costs about 3 ms of CPU per request on two cores, more than a HEAD of a file or a cached
 * search costs in total; these are the same handler functions Next.js would call, with the same params.
 */

type Params = Record<string, string>;
type RouteHandler = (request: Request, context: { params: Promise<Params> }) => Response | Promise<Response>;

const ROUTES: { pattern: RegExp; params: string[]; module: object }[] = [
  { pattern: /^\/data\/([^/]+)$/, params: ['uuid'], module: data },
  { pattern: /^\/api\/files\/([^/]+)$/, params: ['uuid'], module: fileInfo },
  { pattern: /^\/files\/([^/]+)\/preview\.png$/, params: ['uuid'], module: preview },
  { pattern: /^\/api\/search$/, params: [], module: search },
  { pattern: /^\/api\/health$/, params: [], module: health },
  { pattern: /^\/api\/experiments$/, params: [], module: experiments },
  { pattern: /^\/api\/experiments\/([^/]+)\/([^/]+)$/, params: ['prefix', 'uuid'], module: experiment },
];

export type DirectRoute = (request: Request) => Response | Promise<Response>;

/** The handler for this method and path, or undefined to leave the request to Next.js. */
export function matchDirectRoute(method: string, pathname: string): DirectRoute | undefined {
  for (const { pattern, params, module } of ROUTES) {
    const match = pattern.exec(pathname);
    if (!match) continue;
    const handler: unknown = (module as Record<string, unknown>)[method];
    if (typeof handler !== 'function') return undefined;
    const values = Object.fromEntries(params.map((name, i) => [name, decodeSegment(match[i + 1]!)]));
    return (request) => (handler as RouteHandler)(request, { params: Promise.resolve(values) });
  }
  return undefined;
}

// As Next.js does for dynamic segments; a malformed escape is passed on as typed, for the handler to refuse.
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
