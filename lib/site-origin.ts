import 'server-only';
import { headers } from 'next/headers';
import { getConfig } from './config';

const HOST = /^[a-z0-9.-]+(:\d+)?$|^\[[0-9a-f:]+\](:\d+)?$/i;

/**
 * The site's public origin, for absolute links in unfurls (og:url, og:image): SITE_URL when set, else the
 * request's Host. X-Forwarded-Host and -Proto are read only with TRUST_FORWARDED_HEADERS: any client can
 * send them, and a cached page would then point its canonical link and card at another site.
 */
export async function siteOrigin(): Promise<string> {
  const { siteUrl, trustForwardedHeaders } = getConfig();
  if (siteUrl) return siteUrl;
  const h = await headers();
  const forwarded = (name: string) => (trustForwardedHeaders ? h.get(name)?.split(',')[0]?.trim() : undefined);
  const host = forwarded('x-forwarded-host') ?? h.get('host') ?? '';
  const proto = forwarded('x-forwarded-proto') ?? 'http';
  return `${proto === 'https' ? 'https' : 'http'}://${HOST.test(host) ? host : 'localhost'}`;
}
