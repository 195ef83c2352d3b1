'use client';

import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { IndexStats, SearchResponse } from '@/contracts/search-answer';
import { SEARCH_DEBOUNCE_MS } from '@/contracts/search-params';
import { experimentHref } from '@/contracts/experiment-href';
import { EmptyState, facetEntries, ResultList, StatsLine } from './search-results';
import { FILTER_PARAMS } from '@/contracts/filters';
import { searchHref, searchParamsOf, type SearchState } from './search-url';

export type Answer = { response: SearchResponse } | { error: string };

/**
 * The search page once JavaScript runs: results follow the typing (debounced, stale answers dropped), the URL
 * follows the state so a link shares the view, arrows and Enter move through results. Without JavaScript the
 * same markup is a plain form and links, answered by the server.
 */
export function SearchApp(props: { initialState: SearchState; initial: Answer; stats: IndexStats; now: number }) {
  const [state, setState] = useState(props.initialState);
  const [answer, setAnswer] = useState(props.initial);
  const [stats, setStats] = useState(props.stats);
  // Pages loaded with "More results" after the first, and the cursor for the page after them.
  const [more, setMore] = useState<{ results: SearchResponse['results']; cursor: string | null } | null>(null);
  const [active, setActive] = useState(-1);
  const latest = useRef(0);
  const first = useRef(true);

  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    window.history.replaceState(null, '', searchHref(state));
    const request = ++latest.current;
    const controller = new AbortController();
    const timer = setTimeout(async () => {
      try {
        const res = await fetch(`/api/search?${searchParamsOf(state)}`, { signal: controller.signal });
        const body = await res.json();
        if (request !== latest.current) return;
        setAnswer(res.ok ? { response: body } : { error: body.error?.message ?? `HTTP ${res.status}` });
        if (res.ok) setStats(body.stats);
        setMore(null);
        setActive(-1);
      } catch (error) {
        if ((error as Error).name !== 'AbortError' && request === latest.current) setAnswer({ error: 'The search service did not answer.' });
      }
    }, SEARCH_DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [state]);

  const response = 'response' in answer ? answer.response : undefined;
  const results = response ? [...response.results, ...(more?.results ?? [])] : [];
  const nextCursor = more ? more.cursor : response?.nextCursor;

  async function loadMore(cursor: string) {
    const res = await fetch(`/api/search?${searchParamsOf(state, { cursor })}`);
    if (!res.ok) return;
    const body = (await res.json()) as SearchResponse;
    setMore((m) => ({ results: [...(m?.results ?? []), ...body.results], cursor: body.nextCursor }));
  }

  function onKeyDown(event: KeyboardEvent) {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((i) => Math.max(-1, Math.min(results.length - 1, i + step)));
    } else if (event.key === 'Enter' && active >= 0 && results[active]) {
      event.preventDefault();
      window.location.assign(experimentHref(results[active]));
    }
  }

  return (
    <div>
      {/* biome-ignore lint/a11y/useSemanticElements: <search> is too new for the lab's browsers; role="search" says the same */}
      <form action="/" method="get" role="search" className="search-form" onSubmit={(e) => e.preventDefault()}>
        <input
          type="search"
          name="q"
          aria-label="Search experiments"
          placeholder="Search experiments: hc328, GABA_v0, species:mouse, kilosort2…"
          // The page is for searching: the box takes the keys at once, as a search engine's does.
          // biome-ignore lint/a11y/noAutofocus: the search box is the page's one control on arrival
          autoFocus
          autoComplete="off"
          value={state.q}
          onChange={(e) => setState({ ...state, q: e.target.value })}
          // Arrows and Enter move through the results while typing.
          onKeyDown={onKeyDown}
        />
        <select name="sort" aria-label="Sort" value={state.sort ?? ''} onChange={(e) => setState({ ...state, sort: e.target.value || undefined })}>
          <option value="">{state.q ? 'Relevance' : 'Newest'} (default)</option>
          <option value="relevance">Relevance</option>
          <option value="newest">Newest</option>
          <option value="oldest">Oldest</option>
        </select>
        {FILTER_PARAMS.flatMap((name) => state[name].map((value) => <input key={`${name}=${value}`} type="hidden" name={name} value={value} />))}
        <noscript>
          <button type="submit">Search</button>
        </noscript>
      </form>
      <StatsLine stats={stats} now={props.now} />
      {'error' in answer && (
        <p className="error" role="alert" data-testid="search-error">
          {answer.error}
        </p>
      )}
      {response && (
        <div className="search-layout">
          <aside className="facets" aria-label="Filters">
            {facetEntries(response, state).map((facet) =>
              facet.chips.length === 0 ? null : (
                <section key={facet.name}>
                  <h2>{facet.label}</h2>
                  {facet.chips.map(({ value, count, on, next }) => (
                    // biome-ignore lint/a11y/useSemanticElements: a <button> would not be a link without JavaScript
                    <a
                      key={value}
                      href={searchHref(next)}
                      className={on ? 'chip on' : 'chip'}
                      // A toggle (its state in aria-pressed) that is also a link, so it works without JavaScript.
                      role="button"
                      aria-pressed={on}
                      data-testid={`facet-${facet.name}`}
                      onClick={(e) => {
                        e.preventDefault();
                        setState(next);
                      }}
                    >
                      {value} <span className="count">{count.toLocaleString('en-US')}</span>
                    </a>
                  ))}
                </section>
              ),
            )}
          </aside>
          <section aria-live="polite">
            {response.notes.length > 0 && (
              <ul className="query-notes" data-testid="query-notes">
                {response.notes.map((note) => (
                  <li key={note}>{note}</li>
                ))}
              </ul>
            )}
            <p className="muted" data-testid="total">
              {response.total.toLocaleString('en-US')} {response.total === 1 ? 'experiment' : 'experiments'}
            </p>
            {response.total === 0 ? (
              <EmptyState hasQuery={state.q !== ''} />
            ) : (
              <ResultList response={{ ...response, results }} activeIndex={active} />
            )}
            {nextCursor && (
              <a
                className="more"
                href={searchHref(state, { cursor: nextCursor })}
                onClick={(e) => {
                  e.preventDefault();
                  void loadMore(nextCursor);
                }}
              >
                More results
              </a>
            )}
          </section>
        </div>
      )}
    </div>
  );
}
