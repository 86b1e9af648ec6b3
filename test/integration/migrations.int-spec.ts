import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { CORE_ENTITIES, dataSourceOptions } from '@switchyard/core/database';
import { MIGRATIONS } from '@switchyard/migrations';
import { dropDatabase, recreateDatabase } from '../support/test-database.js';
import { testEnv } from '../support/test-env.js';

describe('migrations', () => {
  const url = new URL(testEnv().DATABASE_URL);
  const name = `switchyard_mig_${randomBytes(4).toString('hex')}_test`;
  url.pathname = `/${name}`;
  let ds: DataSource;

  const tables = async (): Promise<string[]> =>
    (
      (await ds.query(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`,
      )) as { table_name: string }[]
    ).map((r) => r.table_name);

  beforeAll(async () => {
    await recreateDatabase(url, name);
    ds = new DataSource(dataSourceOptions(url.toString(), CORE_ENTITIES, MIGRATIONS, { poolSize: 2 }));
    await ds.initialize();
  });

  afterAll(async () => {
    await ds?.destroy();
    await dropDatabase(url, name);
  });

  it('apply on an empty database, revert cleanly, and apply again', async () => {
    expect(await tables()).toEqual([]);
    const applied = await ds.runMigrations();
    expect(applied.map((m) => m.name)).toEqual(MIGRATIONS.map((m) => new m().name));
    expect(await tables()).toEqual(
      expect.arrayContaining([
        'api_tokens',
        'audit_log',
        'job_executions',
        'self_checks',
        'tenants',
        'users',
      ]),
    );
    expect(await ds.showMigrations()).toBe(false);

    for (let i = 0; i < MIGRATIONS.length; i++) await ds.undoLastMigration();
    expect(await tables()).toEqual(['schema_migrations']);
    expect(await ds.query('SELECT count(*)::int AS n FROM schema_migrations')).toEqual([{ n: 0 }]);

    expect((await ds.runMigrations()).length).toBe(MIGRATIONS.length);
  });

  it('give every entity column a column of the same type and nullability', async () => {
    // The migrations own constraints, indexes and defaults that the entities do not repeat; what
    // must agree is the set of tables and columns, their types and their nullability.
    const pending = await ds.driver.createSchemaBuilder().log();
    const structural = pending.upQueries
      .map((q) => q.query)
      .filter((q) => /CREATE TABLE|ADD "|DROP COLUMN|TYPE |SET NOT NULL|DROP NOT NULL/.test(q));
    expect(structural).toEqual([]);
  });
});
