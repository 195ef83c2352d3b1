/** Where the browser tests' app listens (started by e2e/global-setup.ts). */
export const E2E_PORT = 3217;
export const E2E_BASE_URL = `http://127.0.0.1:${E2E_PORT}`;
/** A real NWB file (test/fixtures/nwb) in the browser tests' bucket. */
export const E2E_NWB_KEY = 'ephys/2023-05-05-e-nwb_fixture/shared/ecephys-kilosort-gzip.nwb';
/** An HDF5 file whose data needs a filter the browser cannot decode (test/support/unsupported-filter.ts). */
export const E2E_FILTER_KEY = 'ephys/2023-05-05-e-nwb_fixture/original/data/closed-filter.raw.h5';
/** A copy of the NWB fixture that a browser test replaces in the bucket after the crawl. */
export const E2E_REPLACED_KEY = 'ephys/2023-05-05-e-nwb_fixture/shared/replaced-after-crawl.nwb';
/** A copy of the NWB fixture that a browser test deletes from the bucket after the crawl. */
export const E2E_DELETED_KEY = 'ephys/2023-05-05-e-nwb_fixture/shared/deleted-after-crawl.nwb';
/** The crawl scheduler's wake endpoint (crawler/wake-server.ts), which the app asks to index a folder now. */
export const E2E_WAKE_PORT = 3219;
/** A second app, started by single tests with other settings, on an origin the bucket's CORS rule also allows. */
export const E2E_ALT_PORT = 3218;
export const E2E_ALT_BASE_URL = `http://127.0.0.1:${E2E_ALT_PORT}`;
/** An NWB-shaped file whose series is 100,000,000 frames × 64 channels (test/support/huge-series.ts). */
export const E2E_HUGE_KEY = 'ephys/2023-05-05-e-nwb_fixture/shared/huge-series.nwb';
/** Experiments of the demo bucket in the browser tests' bucket: NWB files whose holdings the pages show. */
export const E2E_HALF_RATE = 'ephys/2025-04-08-e-KOLF2.1J_2D_culture_nwb';
export const E2E_EVENTS = 'ephys/2024-09-19-e-hc328_DIV150_nwb';
/** A small NWB-shaped file whose electrodes are in two groups (test/support/two-shank.ts). */
export const E2E_TWO_SHANK_KEY = 'ephys/2023-05-05-e-nwb_fixture/shared/two-shank.nwb';
