import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@switchyard/core/config';
import pg from 'pg';
import { PrincipalCache } from './principal-cache.js';

const CHANNEL = 'switchyard_auth_changed';
const RETRY_MIN_MS = 250;
const RETRY_MAX_MS = 10_000;

/**
 * Listens on its own Postgres connection for the notices the auth tables' triggers send on commit
 * (migration AuthChangeNotify) and empties this process's PrincipalCache on each, so a revoked
 * token stops working on every API process within the notice's delivery time. While the connection
 * is down the cache answers nothing; it reconnects with growing pauses.
 */
@Injectable()
export class AuthChangeListener implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(AuthChangeListener.name);
  private client: pg.Client | undefined;
  private retryMs = RETRY_MIN_MS;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(PrincipalCache) private readonly cache: PrincipalCache,
  ) {}

  onModuleInit(): void {
    if (this.config.sessions.principalCacheMs > 0) void this.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.cache.setListening(false);
    await this.client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.config.databaseUrl,
      keepAlive: true,
      // who this connection is, in pg_stat_activity
      application_name: `switchyard-auth-listener:${process.pid}`,
    });
    let lost = false;
    const lose = (err?: unknown) => {
      if (lost) return;
      lost = true;
      this.cache.setListening(false);
      if (this.client === client) this.client = undefined;
      if (err) this.logger.warn({ err }, 'auth change notices lost; tokens are read from the database');
      client.end().catch(() => undefined);
      this.retry();
    };
    client.on('notification', () => this.cache.forgetAll());
    client.on('error', lose);
    client.on('end', () => lose());
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
      if (this.stopped || lost) return void client.end().catch(() => undefined);
      this.client = client;
      this.retryMs = RETRY_MIN_MS;
      this.cache.setListening(true);
    } catch (err) {
      lose(err);
    }
  }

  private retry(): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.connect(), this.retryMs);
    this.timer.unref();
    this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
  }
}
