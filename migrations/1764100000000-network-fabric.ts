import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The network fabric: config objects (Contiv's model, one JSON document per object) apart from
 * operational state (addresses, tags, endpoints). Switchyard tenants are the fabric's tenants.
 */
export class NetworkFabric1764100000000 implements MigrationInterface {
  name = 'NetworkFabric1764100000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE tenants ADD COLUMN default_network varchar(64) NOT NULL DEFAULT ''`);
    await db.query(
      `INSERT INTO tenants (name, display_name) VALUES ('default', 'Default') ON CONFLICT (name) DO NOTHING`,
    );
    // One row; locking it serializes tag allocation against range changes.
    await db.query(`
      CREATE TABLE fabric_global (
        id smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
        config jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      INSERT INTO fabric_global (config) VALUES ('{"name": "global", "networkInfraType": "default",
        "vlans": "1-4094", "vxlans": "1-10000", "fwdMode": "bridge", "arpMode": "proxy",
        "pvtSubnet": "172.19.0.0/16"}')`);
    // name is the key inside the tenant (rules: policy:ruleId); config holds Contiv's JSON.
    await db.query(`
      CREATE TABLE fabric_objects (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE RESTRICT,
        kind varchar(32) NOT NULL CHECK (kind IN ('network', 'endpointGroup', 'policy', 'rule',
          'appProfile', 'netprofile', 'serviceLB', 'extContractsGroup')),
        name varchar(130) NOT NULL,
        config jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (tenant_id, kind, name)
      )`);
    // Reference checks ask "which objects name X": JSON containment through this index.
    await db.query(`CREATE INDEX fabric_objects_config ON fabric_objects USING gin (config jsonb_path_ops)`);
    await db.query(`
      CREATE TABLE fabric_tags (
        space varchar(16) NOT NULL CHECK (space IN ('vlan', 'vxlan', 'local-vlan')),
        tag integer NOT NULL CHECK (tag > 0),
        network_id bigint NOT NULL REFERENCES fabric_objects(id) ON DELETE CASCADE,
        PRIMARY KEY (space, tag)
      )`);
    await db.query(`CREATE INDEX fabric_tags_network ON fabric_tags (network_id)`);
    // Every address taken in a network; the primary key makes a double grant impossible.
    await db.query(`
      CREATE TABLE fabric_addresses (
        network_id bigint NOT NULL REFERENCES fabric_objects(id) ON DELETE CASCADE,
        address inet NOT NULL,
        kind varchar(16) NOT NULL CHECK (kind IN ('gateway', 'address', 'endpoint', 'vip')),
        group_id bigint REFERENCES fabric_objects(id) ON DELETE RESTRICT,
        owner_id bigint REFERENCES fabric_objects(id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (network_id, address)
      )`);
    await db.query(
      `CREATE INDEX fabric_addresses_group ON fabric_addresses (group_id) WHERE group_id IS NOT NULL`,
    );
    await db.query(`
      CREATE TABLE fabric_endpoints (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE RESTRICT,
        endpoint_id varchar(200) NOT NULL,
        network_id bigint NOT NULL REFERENCES fabric_objects(id) ON DELETE RESTRICT,
        group_id bigint REFERENCES fabric_objects(id) ON DELETE RESTRICT,
        ipv4 inet,
        ipv6 inet,
        mac varchar(17) NOT NULL DEFAULT '',
        homing_host varchar(255) NOT NULL DEFAULT '',
        container_id varchar(200) NOT NULL DEFAULT '',
        intf_name varchar(64) NOT NULL DEFAULT '',
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (tenant_id, endpoint_id)
      )`);
    await db.query(`CREATE INDEX fabric_endpoints_network ON fabric_endpoints (network_id)`);
    await db.query(
      `CREATE INDEX fabric_endpoints_group ON fabric_endpoints (group_id) WHERE group_id IS NOT NULL`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of [
      'fabric_endpoints',
      'fabric_addresses',
      'fabric_tags',
      'fabric_objects',
      'fabric_global',
    ]) {
      await db.query(`DROP TABLE ${table}`);
    }
    await db.query(`ALTER TABLE tenants DROP COLUMN default_network`);
  }
}
