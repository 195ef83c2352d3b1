// Routing only: the handler lives in lib/api/files.
export { GET } from '@/lib/api/files';

export const dynamic = 'force-dynamic';
