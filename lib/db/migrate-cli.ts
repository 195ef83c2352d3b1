import { getDatabasePath } from '../config';
import { openDatabase } from './index';

// `npm run db:migrate`: opening the index applies pending migrations.
const path = getDatabasePath();
openDatabase(path).$client.close();
console.error(`migrations applied to ${path}`);
