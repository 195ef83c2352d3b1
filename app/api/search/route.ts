// Routing only: the handler lives in lib/api/search.
export { GET } from '@/lib/api/search';

export const dynamic = 'force-dynamic';
