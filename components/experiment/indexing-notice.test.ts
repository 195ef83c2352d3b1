import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { IndexingNotice } from './indexing-notice';

describe('the indexing notice', () => {
  it('says the folder is being indexed, and reloads the page', () => {
    const html = renderToStaticMarkup(createElement(IndexingNotice, { path: 'ephys/2026-12-02-e-new <b>' }));
    expect(html).toContain('<meta http-equiv="refresh" content="3"/>');
    expect(html).toContain('<h1>Indexing…</h1>');
    // The folder's name is text, never markup.
    expect(html).toContain('<code>ephys/2026-12-02-e-new &lt;b&gt;</code> is not in the index yet');
  });
});
