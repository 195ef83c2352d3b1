import { FILTER_NAMES, FILTERS, type FilterName } from '@/contracts/filters';
import type { IndexStats, SearchResponse } from '@/contracts/search-answer';
import { experimentHref } from '@/contracts/experiment-href';
import { toggleFilter, toggleYear, yearRange, type SearchState } from './search-url';

/** Rendering only (no hooks): the server page and the live search both use it. */

function ago(date: Date, now: number): string {
  const minutes = Math.round((now - date.getTime()) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.round(hours / 24)} days ago`;
}

export function StatsLine({ stats, now }: { stats: IndexStats; now: number }) {
  const range = stats.oldestDate && stats.newestDate ? `, from ${stats.oldestDate} to ${stats.newestDate}` : '';
  const updated = stats.lastCrawlFinishedAt ? `, updated ${ago(new Date(stats.lastCrawlFinishedAt), now)}` : ', never crawled';
  return (
    <p className="muted" data-testid="index-stats">
      {`${stats.experiments.toLocaleString('en-US')} experiments indexed${range}${updated}`}
    </p>
  );
}

export function ResultList({ response, activeIndex }: { response: SearchResponse; activeIndex?: number }) {
  return (
    <ol className="experiments" data-testid="results">
      {response.results.map((r, i) => (
        <li key={r.id} className={i === activeIndex ? 'active' : undefined} data-testid="result">
          {r.preview && (
            <a href={`${experimentHref(r)}?file=${r.preview.uuid}#viewer`} className="preview-thumb" tabIndex={-1}>
              {/* biome-ignore lint/performance/noImgElement: the preview is a small PNG the crawler drew to size; next/image would encode it again per request */}
              <img
                src={`/files/${r.preview.uuid}/preview.png`}
                alt={r.preview.alt}
                width={r.preview.width}
                height={r.preview.height}
                loading="lazy"
                decoding="async"
                data-testid="result-preview"
              />
            </a>
          )}
          <a href={experimentHref(r)} className="uuid">
            {r.uuid}
          </a>{' '}
          <span className="badge">{r.prefix}</span>
          <div className="meta">
            {[r.date, r.species, r.sampleType, r.cellLine, r.hardware, r.channelCount ? `${r.channelCount} channels` : null]
              .filter(Boolean)
              .join(' · ')}
          </div>
          {r.snippet.length > 0 ? (
            <p className="snippet" data-testid="snippet">
              {r.snippet.map((s, j) => (s.match ? <mark key={j}>{s.text}</mark> : <span key={j}>{s.text}</span>))}
            </p>
          ) : (
            r.purpose && <p className="snippet">{r.purpose}</p>
          )}
          {r.holds && (
            <div className="holds" data-testid="holds">
              {r.holds}
            </div>
          )}
          {r.files.length > 0 && (
            <ul className="files" data-testid="matching-files">
              {r.files.map((f) => (
                <li key={f.uuid}>
                  <a href={`${experimentHref(r)}?file=${f.uuid}#viewer`}>
                    <code>{f.key.slice(r.path.length + 1)}</code>
                  </a>
                  {f.holds && (
                    <span className="holds" data-testid="file-holds">
                      {' '}
                      {f.holds}
                    </span>
                  )}
                </li>
              ))}
            </ul>
          )}
          {r.metadataError && <p className="error">Metadata could not be read: {r.metadataError}</p>}
        </li>
      ))}
    </ol>
  );
}

interface FacetChip {
  value: string;
  count: number;
  on: boolean;
  /** The search state the chip leads to: its value added, or taken away when it is on. */
  next: SearchState;
}

const SHOWN_PER_FACET = 12;

/**
 * The facets shown beside the results: every filter's, then the years. A value that is chosen is always
 * shown, even when no result has it (a search with no results must still offer to take its filters away);
 * so is a date range that is not one whole year.
 */
export function facetEntries(response: SearchResponse, state: SearchState) {
  const filters = FILTER_NAMES.map((name) => {
    const { param, label } = FILTERS[name];
    const counted = response.facets[name];
    const chips = counted.slice(0, SHOWN_PER_FACET).map(({ value, count }) => ({ value, count }));
    for (const value of state[param]) if (!chips.some((c) => c.value === value)) chips.push({ value, count: countOf(counted, value) });
    return {
      name: name as FilterName | 'year',
      label: label as string,
      chips: chips.map((c): FacetChip => ({ ...c, on: state[param].includes(c.value), next: toggleFilter(state, param, c.value) })),
    };
  });
  const years = response.facets.year;
  const chips: FacetChip[] = years.slice(0, SHOWN_PER_FACET).map(({ value, count }) => {
    const range = yearRange(value);
    return { value, count, on: state.from === range.from && state.to === range.to, next: toggleYear(state, value) };
  });
  if ((state.from || state.to) && !chips.some((c) => c.on)) {
    const year = state.from?.slice(0, 4);
    const whole = year !== undefined && state.from === yearRange(year).from && state.to === yearRange(year).to;
    chips.unshift({
      value: whole ? year : `${state.from ?? '…'} – ${state.to ?? '…'}`,
      count: whole ? countOf(years, year) : response.total,
      on: true,
      next: { ...state, from: undefined, to: undefined },
    });
  }
  return [...filters, { name: 'year' as const, label: 'Year', chips }];
}

const countOf = (counts: { value: string; count: number }[], value: string) => counts.find((c) => c.value === value)?.count ?? 0;

export function EmptyState({ hasQuery }: { hasQuery: boolean }) {
  return (
    <div className="empty" data-testid="empty">
      <p>{hasQuery ? 'No experiments match.' : 'The index is empty.'}</p>
      <p className="muted">
        Search words are combined; the last word matches as you type (<code>hc3</code> finds hc328). Use <code>&quot;exact phrase&quot;</code>,{' '}
        <code>-word</code> to exclude, <code>OR</code>, and filters like <code>species:mouse</code>, <code>hardware:maxwell</code>,{' '}
        <code>modality:ephys</code>, <code>after:2023-06</code>, <code>before:2024-01-01</code>; and by what the files hold: <code>type:Units</code>,{' '}
        <code>has:lfp</code>, <code>channels:&gt;=512</code>, <code>duration:&gt;10m</code>, <code>rate:20k</code>.
      </p>
    </div>
  );
}
