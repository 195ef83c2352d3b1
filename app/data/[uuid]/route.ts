// Routing only: the handler lives in lib/api/data.
export { GET, HEAD } from '@/lib/api/data';

export const dynamic = 'force-dynamic';
