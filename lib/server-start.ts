import { ConfigError, getConfig } from './config';
import { getDb } from './db/index';

export function prepareServer(): void {
  try {
    getConfig();
    getDb();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`error: ${error.message}`);
    process.exit(1);
  }
}
