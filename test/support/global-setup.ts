import { prepareTestDatabase } from './test-database.js';

/** Once per run: a test database migrated from empty (integration and e2e tiers). */
export default async function globalSetup(): Promise<void> {
  await prepareTestDatabase();
}
