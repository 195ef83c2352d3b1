// Routing only: the handler lives in lib/api/experiments.
export { GET } from '@/lib/api/experiments';

export const dynamic = 'force-dynamic';
