import type { Metadata } from 'next';
import { NotFoundMessage } from '@/components/not-found';

export const metadata: Metadata = { title: 'Not found' };

/** Unknown pages: a real 404, with the way back to search. */
export default function NotFound() {
  return <NotFoundMessage what="Nothing in the index has this address: the link may be mistyped." />;
}
