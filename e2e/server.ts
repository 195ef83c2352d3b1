/** Where the browser tests' app listens (started by e2e/global-setup.ts). */
export const E2E_PORT = 3217;
export const E2E_BASE_URL = `http://127.0.0.1:${E2E_PORT}`;
/** A real NWB file (from ../shared/fixtures) in the browser tests' bucket. */
export const E2E_NWB_KEY = 'ephys/2023-05-05-e-nwb_fixture/shared/ecephys-kilosort-gzip.nwb';
/** An HDF5 file whose data needs a filter the browser cannot decode (test/support/unsupported-filter.ts). */
export const E2E_FILTER_KEY = 'ephys/2023-05-05-e-nwb_fixture/original/data/closed-filter.raw.h5';
/** A copy of the NWB fixture that a browser test replaces in the bucket after the crawl. */
export const E2E_REPLACED_KEY = 'ephys/2023-05-05-e-nwb_fixture/shared/replaced-after-crawl.nwb';
/** A copy of the NWB fixture that a browser test deletes from the bucket after the crawl. */
export const E2E_DELETED_KEY = 'ephys/2023-05-05-e-nwb_fixture/shared/deleted-after-crawl.nwb';
