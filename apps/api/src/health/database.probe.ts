import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** Whether Postgres answers, for readiness: the one query the health check runs. */
@Injectable()
export class DatabaseProbe {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async ping(): Promise<void> {
    await this.db.query('SELECT 1');
  }
}
