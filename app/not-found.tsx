import type { Metadata } from 'next';

export const metadata: Metadata = { title: 'Not found' };

/** Unknown experiments and pages: a real 404, with the way back to search. */
export default function NotFound() {
  return (
    <article>
      <h1>Not found</h1>
      <p>Nothing in the index has this address. The experiment may have been removed from the bucket, or the link may be mistyped.</p>
      <p>
        <a href="/">Search the experiments</a>
      </p>
    </article>
  );
}
