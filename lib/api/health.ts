import 'server-only';
import { checkHealth } from '@/lib/health';
import { log } from '@/lib/log';

const NO_STORE = { 'Cache-Control': 'no-store' };

/** 200 when the index is readable, migrated, filled and fresh; 503 with the reasons otherwise. */
export function GET(): Response {
  try {
    const health = checkHealth();
    return Response.json(health, { status: health.ok ? 200 : 503, headers: NO_STORE });
  } catch (error) {
    log('error', 'index unreadable', { route: 'api/health', error: error instanceof Error ? error.message : String(error) });
    return Response.json({ ok: false, problems: ['the index cannot be read (the server log says why)'] }, { status: 503, headers: NO_STORE });
  }
}
