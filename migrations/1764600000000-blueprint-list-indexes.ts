import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Trigram indexes for the catalog search (`GET /api/v1/blueprints?q=`), which matches
 * `ILIKE '%text%'` on name, title and description: a b-tree cannot serve a leading wildcard, so
 * without these every search scanned the whole table (~48 ms at 10,000 blueprints, 1 ms with
 * them; bench/blueprints-list.bench.ts). One index per column lets Postgres OR the three bitmaps.
 */
export class BlueprintListIndexes1764600000000 implements MigrationInterface {
  name = 'BlueprintListIndexes1764600000000';

  async up(db: QueryRunner): Promise<void> {
    // pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it.
    await db.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await db.query(`CREATE INDEX blueprints_name_trgm ON blueprints USING gin (name gin_trgm_ops)`);
    await db.query(`CREATE INDEX blueprints_title_trgm ON blueprints USING gin (title gin_trgm_ops)`);
    await db.query(
      `CREATE INDEX blueprints_description_trgm ON blueprints USING gin (description gin_trgm_ops)`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX blueprints_description_trgm`);
    await db.query(`DROP INDEX blueprints_title_trgm`);
    await db.query(`DROP INDEX blueprints_name_trgm`);
    // the extension stays: other objects may have come to depend on it
  }
}
