// Routing only: the handler lives in lib/api/health.
export { GET } from '@/lib/api/health';

export const dynamic = 'force-dynamic';
