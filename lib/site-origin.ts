import { headers } from 'next/headers';
import { getConfig } from './config';

const HOST = /^[a-z0-9.-]+(:\d+)?$|^\[[0-9a-f:]+\](:\d+)?$/i;

/**
 * The site's public origin, for absolute links in unfurls (og:url, og:image): SITE_URL when set, else the
 * request's host as the reverse proxy forwarded it.
 */
export async function siteOrigin(): Promise<string> {
  const configured = getConfig().siteUrl;
  if (configured) return configured;
  const h = await headers();
  const host = (h.get('x-forwarded-host') ?? h.get('host') ?? '').split(',')[0]!.trim();
  const proto = (h.get('x-forwarded-proto') ?? 'http').split(',')[0]!.trim();
  return `${proto === 'https' ? 'https' : 'http'}://${HOST.test(host) ? host : 'localhost'}`;
}
