import { getIndexStats, listNewestExperiments } from '@/lib/db/queries';

export const dynamic = 'force-dynamic';

const dateFormat = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });

export default function HomePage() {
  const stats = getIndexStats();
  const newest = listNewestExperiments({ limit: 20 });
  return (
    <>
      <p className="muted" data-testid="index-stats">
        {stats.experiments.toLocaleString('en-US')} experiments indexed
        {stats.oldestDate && stats.newestDate ? `, from ${stats.oldestDate} to ${stats.newestDate}` : ''}
        {stats.lastCrawlFinishedAt ? `, updated ${dateFormat.format(stats.lastCrawlFinishedAt)} UTC` : ', never crawled'}
      </p>
      <h1>Newest experiments</h1>
      {newest.length === 0 ? (
        <p>The index is empty. Run <code>npm run crawl</code> to fill it.</p>
      ) : (
        <ul className="experiments">
          {newest.map((e) => (
            <li key={e.path}>
              <strong>{e.uuid}</strong> <span className="muted">{e.prefix}</span>
              <div className="meta">
                {[e.date, e.species, e.sampleType, e.hardware, `${e.objectCount} files`].filter(Boolean).join(' · ')}
              </div>
              {e.purpose && <div>{e.purpose}</div>}
              {e.metadataError && <div className="error">Metadata could not be read: {e.metadataError}</div>}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
