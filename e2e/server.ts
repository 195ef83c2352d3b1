/** Where the browser tests' app listens (started by e2e/global-setup.ts). */
export const E2E_PORT = 3217;
export const E2E_BASE_URL = `http://127.0.0.1:${E2E_PORT}`;
