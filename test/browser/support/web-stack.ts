import type { BrowserContext, Page } from 'playwright-core';
import type { CloudPeer } from '../../integration/cloud/support/cloud-peer.js';
import { startMoto } from '../../integration/cloud/support/moto.peer.js';
import { startVcsim } from '../../integration/cloud/support/vcsim.peer.js';
import { Client } from '../../support/http.js';
import { stackEnv, startApi, startWorker, type Proc } from '../../support/processes.js';
import { createSimulatedClouds } from '../../support/simulated-clouds.js';
import { migratedDatabase } from '../../support/test-database.js';
import { testEnv } from '../../support/test-env.js';
import { BrowserSession, signIn } from './browser.js';

/** One stack (API, worker, moto, vcsim) and one chromium for the browser tests, in order. */
export interface WebStack {
  api: Proc & { url: string };
  admin: Client;
  adminToken: string;
  memberToken: string;
  session: BrowserSession;
  moto: CloudPeer;
  vcsim: CloudPeer;
  /** The stack's own database (tests that seed rows no API writes, e.g. measured benchmarks). */
  databaseUrl: string;
  /** Names carry it, so that runs sharing a database do not collide. */
  run: string;
  awsEnv: string;
  vsEnv: string;
  awsAccount: string;
  awsAccountId: string;
  /** The deployment the keyboard-only order made; later tests watch and visit it. */
  deploymentId?: string;
  /** A fresh browser context, signed in with `token` (none: at the sign-in page). */
  open(token?: string, width?: number): Promise<{ context: BrowserContext; page: Page }>;
}

export const STEP_MS = 20_000;

/** Registers the hooks that start and stop the stack; the object is filled in by beforeAll. */
export function useWebStack(): WebStack {
  const stack = {
    adminToken: testEnv().SWITCHYARD_ADMIN_TOKEN,
    run: Date.now().toString(36),
  } as WebStack;
  let worker: Proc | undefined;
  // a database of its own: the keyboard tests walk whole lists (tokens, users), which other
  // files running at the same time would otherwise lengthen with their own rows
  let database: Awaited<ReturnType<typeof migratedDatabase>> | undefined;

  beforeAll(async () => {
    [stack.moto, stack.vcsim, database] = await Promise.all([
      startMoto(),
      startVcsim(),
      migratedDatabase(testEnv().DATABASE_URL, 'web'),
    ]);
    // the suite signs in often from one address; the per-address limit has its own e2e test
    const env = await stackEnv({
      DATABASE_URL: database.url,
      WORKER_CONCURRENCY: '4',
      SIGN_IN_PER_ADDRESS_PER_MINUTE: '1000',
    });
    stack.databaseUrl = database.url;
    stack.api = await startApi(env);
    worker = await startWorker(env);
    stack.admin = new Client(stack.api.url, stack.adminToken);
    stack.session = await BrowserSession.launch();

    const member = await stack.admin.post('/api/v1/tokens', {
      name: `web-member-${stack.run}`,
      role: 'member',
    });
    expect(member.status).toBe(201);
    stack.memberToken = member.body.token;

    const clouds = await createSimulatedClouds(stack.admin, stack.moto, stack.vcsim, `web-${stack.run}`, {
      aws: 'AWS Ireland (moto)',
      vsphere: 'vSphere lab (vcsim)',
    });
    stack.awsEnv = clouds.aws;
    stack.vsEnv = clouds.vsphere;
    stack.awsAccount = `aws-web-${stack.run}`;
    stack.awsAccountId = clouds.awsAccountId;
    stack.open = async (token, width = 1280) => {
      const opened = await stack.session.page(width, width < 600 ? 844 : 900);
      opened.page.setDefaultTimeout(STEP_MS);
      if (token) await signIn(opened.page, stack.api.url, token);
      return opened;
    };
  }, 240_000);

  afterAll(async () => {
    await stack.session?.close();
    await worker?.stop();
    await stack.api?.stop();
    await Promise.all([stack.moto?.stop(), stack.vcsim?.stop()]);
    await database?.drop();
  });

  afterEach(() => {
    // no console errors and no uncaught exceptions on any page the test visited
    stack.session?.expected.splice(0);
    const problems = stack.session?.problems.splice(0) ?? [];
    expect(problems).toEqual([]);
  });

  return stack;
}

/** The form box of an API path: `[data-field="priceList.instanceTypes.2.hourlyPrice"]`. */
export const field = (page: Page, path: string) => page.locator(`[data-field="${path}"]`);
