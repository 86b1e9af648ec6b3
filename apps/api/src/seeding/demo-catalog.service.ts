import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  checkBlueprint,
  createServiceResolver,
  loadDemoCatalog,
  parseBlueprint,
  type BlueprintDocument,
} from '@switchyard/blueprints';
import { UnitOfWork } from '@switchyard/core/database';
import { createHash } from 'node:crypto';
import { AuditService } from '../audit/audit.service.js';
import { BlueprintLoaderService } from '../blueprints/blueprint-loader.service.js';
import { blueprintFields, toVersionDto } from '../blueprints/blueprint-mapping.util.js';
import { BlueprintsRepository } from '../blueprints/blueprints.repository.js';

// Shared by every API process: two starting at once load the catalog one after the other.
const DEMO_CATALOG_LOCK = 0x5359_4201;

interface DemoEntry {
  file: string;
  text: string;
  doc: BlueprintDocument;
}

/**
 * Loads the demo catalog shipped with @switchyard/blueprints into tenant `default` as published
 * versions, on every start. Idempotent: a name@version already there is left alone (published
 * text never changes). Every tenant reads tenant `default`'s blueprints (BlueprintLoaderService).
 */
@Injectable()
export class DemoCatalogService {
  private readonly logger = new Logger(DemoCatalogService.name);

  constructor(
    @Inject(BlueprintsRepository) private readonly repo: BlueprintsRepository,
    @Inject(UnitOfWork) private readonly uow: UnitOfWork,
    @Inject(BlueprintLoaderService) private readonly loader: BlueprintLoaderService,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  async run(): Promise<void> {
    const tenantId = await this.loader.sharedTenantId();
    if (tenantId === undefined) {
      this.logger.warn('tenant default does not exist: the demo catalog is not loaded');
      return;
    }
    const entries = this.readCatalog();
    // The demo blueprints are checked against the demo Services, not against whatever else
    // tenant default holds: the shipped catalog is validated as it was tested.
    const resolveService = createServiceResolver(
      entries
        .filter((e) => e.doc.kind === 'Service')
        .map((e) => ({ version: e.doc.metadata.version, state: 'published' as const, blueprint: e.doc })),
    );
    const loaded = await this.uow.runLocked(DEMO_CATALOG_LOCK, async (em) => {
      const names: string[] = [];
      for (const entry of entries) {
        const checked = checkBlueprint(entry.doc, { resolveService });
        if (!checked.ok) {
          this.logger.error(
            { problems: checked.problems },
            `demo blueprint ${entry.file} is invalid; skipped`,
          );
          continue;
        }
        const { name, version } = entry.doc.metadata;
        const { row } = await this.repo.upsertLocked(
          em,
          tenantId,
          name,
          blueprintFields(entry.doc, 'switchyard'),
        );
        if (row.kind !== entry.doc.kind) {
          this.logger.warn(`tenant default has a ${row.kind} named ${name}; demo ${entry.file} skipped`);
          continue;
        }
        if (await this.repo.findVersion(em, tenantId, row.id, version)) continue;
        const saved = await this.repo.insertVersion(em, tenantId, row.id, {
          version,
          state: 'published',
          source: entry.text,
          contentType: 'yaml',
          document: entry.doc,
          sha256: createHash('sha256').update(entry.text, 'utf8').digest('hex'),
        });
        await this.audit.record(em, 'system', {
          tenantId,
          action: 'blueprint.publish',
          resourceType: 'blueprint-version',
          resourceId: `${name}@${version}`,
          after: toVersionDto(row, saved),
        });
        names.push(`${name}@${version}`);
      }
      return names;
    });
    const summary = loaded.length > 0 ? `loaded ${loaded.join(', ')}` : 'already present';
    this.logger.log(`demo catalog (${entries.length} blueprints): ${summary}`);
  }

  private readCatalog(): DemoEntry[] {
    const entries: DemoEntry[] = [];
    for (const { file, text } of loadDemoCatalog()) {
      const parsed = parseBlueprint(text, 'yaml');
      if (!parsed.ok) {
        this.logger.error({ problems: parsed.problems }, `demo blueprint ${file} does not parse; skipped`);
        continue;
      }
      entries.push({ file, text, doc: parsed.blueprint as unknown as BlueprintDocument });
    }
    // Services first, so that the blueprints' `uses` find them.
    return entries.sort((a, b) => Number(b.doc.kind === 'Service') - Number(a.doc.kind === 'Service'));
  }
}
