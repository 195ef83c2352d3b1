/** The page of an experiment the index does not hold yet while the crawler indexes its folder (lib/wake.ts). */
export function IndexingNotice({ path }: { path: string }) {
  return (
    <article className="experiment" data-testid="indexing">
      {/* React puts it in the head: the page asks again until the experiment is there, or is a 404. */}
      <meta httpEquiv="refresh" content="3" />
      <h1>Indexing…</h1>
      <p>
        <code>{path}</code> is not in the index yet: it may have been uploaded since the last crawl, which has been asked to index it now. This page
        reloads by itself in a few seconds.
      </p>
    </article>
  );
}
