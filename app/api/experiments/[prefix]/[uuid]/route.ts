// Routing only: the handler lives in lib/api/experiment.
export { GET } from '@/lib/api/experiment';

export const dynamic = 'force-dynamic';
