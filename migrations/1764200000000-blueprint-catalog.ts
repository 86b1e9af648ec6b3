import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The blueprint catalog: one row per blueprint name and tenant, one row per version. Tenant
 * `default` holds the demo catalog, which every tenant may read (see apps/api/src/blueprints).
 */
export class BlueprintCatalog1764200000000 implements MigrationInterface {
  name = 'BlueprintCatalog1764200000000';

  async up(db: QueryRunner): Promise<void> {
    // title..tags mirror metadata of the most recently pushed or published version, for listing.
    await db.query(`
      CREATE TABLE blueprints (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE RESTRICT,
        name varchar(63) NOT NULL,
        kind varchar(16) NOT NULL CHECK (kind IN ('Blueprint', 'Service')),
        owner varchar(100) NOT NULL DEFAULT '',
        category varchar(63),
        tags text[] NOT NULL DEFAULT '{}',
        title varchar(200) NOT NULL,
        description text NOT NULL DEFAULT '',
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        updated_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        UNIQUE (tenant_id, name),
        -- lets versions reference (id, tenant_id), so a version can never sit in another tenant
        UNIQUE (id, tenant_id)
      )`);
    await db.query(`CREATE INDEX blueprints_tenant_created ON blueprints (tenant_id, created_at, id)`);
    await db.query(`CREATE INDEX blueprints_tags ON blueprints USING gin (tags)`);
    await db.query(`
      CREATE TABLE blueprint_versions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        blueprint_id uuid NOT NULL,
        tenant_id uuid NOT NULL,
        version varchar(64) NOT NULL,
        state varchar(16) NOT NULL CHECK (state IN ('draft', 'published', 'deprecated')),
        source text NOT NULL,
        content_type varchar(8) NOT NULL CHECK (content_type IN ('yaml', 'json')),
        document jsonb NOT NULL,
        sha256 char(64) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        updated_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        published_at timestamptz,
        deprecated_at timestamptz,
        FOREIGN KEY (blueprint_id, tenant_id) REFERENCES blueprints (id, tenant_id) ON DELETE CASCADE,
        UNIQUE (blueprint_id, version),
        CHECK ((state = 'draft') = (published_at IS NULL)),
        CHECK ((state = 'deprecated') = (deprecated_at IS NOT NULL))
      )`);
    await db.query(`CREATE INDEX blueprint_versions_tenant ON blueprint_versions (tenant_id, blueprint_id)`);
    // Published text is frozen in the database too, whatever the application does.
    await db.query(`
      CREATE FUNCTION blueprint_versions_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.state = 'draft' THEN
          RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
        END IF;
        IF TG_OP = 'DELETE' THEN
          RAISE EXCEPTION 'blueprint version % is published and cannot be deleted', OLD.version
            USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF NEW.source IS DISTINCT FROM OLD.source OR NEW.sha256 IS DISTINCT FROM OLD.sha256
          OR NEW.document IS DISTINCT FROM OLD.document OR NEW.version IS DISTINCT FROM OLD.version
          OR NEW.content_type IS DISTINCT FROM OLD.content_type OR NEW.state = 'draft' THEN
          RAISE EXCEPTION 'blueprint version % is published and cannot change', OLD.version
            USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await db.query(`
      CREATE TRIGGER blueprint_versions_frozen BEFORE UPDATE OR DELETE ON blueprint_versions
        FOR EACH ROW EXECUTE FUNCTION blueprint_versions_frozen()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE blueprint_versions`);
    await db.query(`DROP FUNCTION blueprint_versions_frozen()`);
    await db.query(`DROP TABLE blueprints`);
  }
}
