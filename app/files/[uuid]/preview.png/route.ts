// Routing only: the handler lives in lib/api/preview.
export { GET, HEAD } from '@/lib/api/preview';

export const dynamic = 'force-dynamic';
