import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A fourth provider: Linux hosts, whose instances are network namespaces run by the host agent. */
export class LinuxHostProvider1765200000000 implements MigrationInterface {
  name = 'LinuxHostProvider1765200000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE cloud_accounts DROP CONSTRAINT cloud_accounts_provider_check`);
    await db.query(
      `ALTER TABLE cloud_accounts ADD CONSTRAINT cloud_accounts_provider_check
        CHECK (provider IN ('aws-ec2', 'openstack', 'vsphere', 'linux-host'))`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    // refused while Linux-host accounts exist: remove them first
    await db.query(`ALTER TABLE cloud_accounts DROP CONSTRAINT cloud_accounts_provider_check`);
    await db.query(
      `ALTER TABLE cloud_accounts ADD CONSTRAINT cloud_accounts_provider_check
        CHECK (provider IN ('aws-ec2', 'openstack', 'vsphere'))`,
    );
  }
}
