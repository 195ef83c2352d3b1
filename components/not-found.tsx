/** A 404 page's body: what was not found, why that may be, and the way back to search. */
export function NotFoundMessage({ what }: { what: string }) {
  return (
    <article>
      <h1>Not found</h1>
      <p data-testid="not-found">{what}</p>
      <p>
        <a href="/">Search the experiments</a>
      </p>
    </article>
  );
}
