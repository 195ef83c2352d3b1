import { describe, expect, it } from 'vitest';
import { contentTypeOf } from './files';

describe('contentTypeOf', () => {
  it.each([
    ['ephys/x/shared/rec.nwb', 'application/x-hdf5'],
    ['ephys/x/original/data/rec.raw.H5', 'application/x-hdf5'],
    ['ephys/x/a.hdf5', 'application/x-hdf5'],
    ['ephys/x/metadata.json', 'application/json'],
    ['ephys/x/original/log/rec.csv', 'text/csv'],
    ['imaging/x/images/cam0.jpg', 'image/jpeg'],
    ['ephys/x/derived/kilosort2/rec_phy.zip', 'application/zip'],
    ['ephys/x/NOBACKUP', 'application/octet-stream'],
    ['ephys/x/rec.rhd', 'application/octet-stream'],
  ])('%s is %s', (key, type) => {
    expect(contentTypeOf(key)).toBe(type);
  });

  it.each(['index.html', 'page.xhtml', 'figure.svg', 'data.xml', 'app.js', 'module.mjs'])(
    '%s, which a browser would run as part of the site, is plain bytes',
    (name) => {
      expect(contentTypeOf(`ephys/x/${name}`)).toBe('application/octet-stream');
    },
  );
});
