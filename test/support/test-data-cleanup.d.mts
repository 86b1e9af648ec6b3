// Types of test-data-cleanup.mjs (plain JavaScript for the global teardown).
export function runKeyPrefix(run: string): string;
export function deleteRedisKeys(redisUrl: string, prefix: string): Promise<number>;
export function dropTestDatabases(databaseUrl: string, run: string): Promise<string[]>;
