import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Instance types may have a fraction of a vCPU (the Linux host's `lh.quarter` and `lh.half`): a
 * deployment's reservation counts vCPUs to the thousandth. Quota limits stay whole vCPUs.
 */
export class FractionalVcpuReservations1766231000000 implements MigrationInterface {
  name = 'FractionalVcpuReservations1766231000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE quota_reservations ALTER COLUMN vcpus TYPE numeric(14, 3)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE quota_reservations ALTER COLUMN vcpus TYPE integer USING ceil(vcpus)`);
  }
}
