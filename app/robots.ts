import type { MetadataRoute } from 'next';
import { getConfig } from '@/lib/config';

export const dynamic = 'force-dynamic';

/** ROBOTS=allow (default): crawlers may index pages but not the APIs and file bytes; ROBOTS=disallow: nothing. */
export default function robots(): MetadataRoute.Robots {
  if (getConfig().robots === 'disallow') return { rules: { userAgent: '*', disallow: '/' } };
  return { rules: { userAgent: '*', allow: '/', disallow: ['/api/', '/data/'] } };
}
