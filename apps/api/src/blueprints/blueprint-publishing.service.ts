import { Inject, Injectable } from '@nestjs/common';
import { MAX_BLUEPRINT_BYTES, type BlueprintDocument } from '@switchyard/blueprints';
import { UnitOfWork } from '@switchyard/core/database';
import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Principal } from '../auth/principal.js';
import { AppException, ErrorCode, type ErrorDetail } from '../common/app.exception.js';
import type { BlueprintUpload } from './blueprint-upload.decorator.js';
import { BlueprintLoaderService } from './blueprint-loader.service.js';
import { blueprintFields, toVersionDto } from './blueprint-mapping.util.js';
import type { BlueprintVersionDto } from './blueprints.dto.js';
import {
  BlueprintsRepository,
  type BlueprintRow,
  type NewVersion,
  type VersionRow,
} from './blueprints.repository.js';

export interface WriteResult {
  created: boolean;
  version: BlueprintVersionDto;
}

interface Checked {
  doc: BlueprintDocument;
  version: NewVersion;
}

/**
 * Pushing drafts, publishing and deprecating. Writes happen only in the caller's tenant, under a
 * row lock on the blueprint, with the audit entry in the same transaction.
 */
@Injectable()
export class BlueprintPublishingService {
  constructor(
    @Inject(BlueprintsRepository) private readonly repo: BlueprintsRepository,
    @Inject(UnitOfWork) private readonly uow: UnitOfWork,
    @Inject(BlueprintLoaderService) private readonly loader: BlueprintLoaderService,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  /** Creates a draft version, or replaces the text of an existing draft. */
  async push(caller: Principal, upload: BlueprintUpload): Promise<WriteResult> {
    const { doc, version } = await this.check(caller.tenantId, upload, 'draft');
    return this.uow.run(async (em) => {
      const { row, created } = await this.lockBlueprint(em, caller, doc);
      const existing = await this.repo.findVersion(em, caller.tenantId, row.id, version.version, true);
      if (!existing) return this.insert(em, caller, row, version, created, 'blueprint.push');
      if (existing.state !== 'draft') {
        // Re-pushing what was published is harmless (CI reruns); changing it is not.
        if (existing.sha256 === version.sha256)
          return { created: false, version: toVersionDto(row, existing) };
        throw frozen(row.name, existing);
      }
      if (existing.sha256 === version.sha256) return { created: false, version: toVersionDto(row, existing) };
      const saved = await this.repo.replaceDraft(em, caller.tenantId, existing.id, version);
      return this.finish(em, caller, row, doc, 'blueprint.update-draft', existing, saved, false);
    });
  }

  /**
   * Freezes a version. With a body, the body is the text to publish (push and publish at once);
   * publishing the same text again is a no-op, a different text under a published version is 409.
   */
  async publish(
    caller: Principal,
    name: string,
    versionName: string,
    upload: BlueprintUpload | undefined,
  ): Promise<WriteResult> {
    const body = upload ? await this.check(caller.tenantId, upload, 'published') : undefined;
    if (body) matchesPath(body.doc, name, versionName);
    return this.uow.run(async (em) => {
      const locked = body ? await this.lockBlueprint(em, caller, body.doc) : undefined;
      const row = locked?.row ?? (await this.repo.find(caller.tenantId, name, em));
      if (!row) throw AppException.notFound(`blueprint ${name}`);
      const existing = await this.repo.findVersion(em, caller.tenantId, row.id, versionName, true);
      if (!existing) {
        if (!body) throw AppException.notFound(`blueprint ${name} version ${versionName}`);
        return this.insert(em, caller, row, body.version, locked?.created ?? false, 'blueprint.publish');
      }
      if (existing.state !== 'draft') {
        if (body && body.version.sha256 !== existing.sha256) throw frozen(name, existing);
        if (existing.state === 'deprecated') {
          throw AppException.conflict(`${name}@${versionName} is deprecated; publish a new version instead`);
        }
        return { created: false, version: toVersionDto(row, existing) };
      }
      if (body) {
        const saved = await this.repo.replaceDraft(em, caller.tenantId, existing.id, body.version);
        return this.finish(em, caller, row, body.doc, 'blueprint.publish', existing, saved, false);
      }
      // The draft was valid when pushed, but the Services it uses may have changed since.
      const now = await this.loader.load(caller.tenantId, existing.source, existing.contentType);
      if (!now.ok) {
        throw AppException.conflict(
          `${name}@${versionName} no longer validates against the catalog; push a corrected draft`,
          now.problems,
        );
      }
      const saved = await this.repo.setState(em, caller.tenantId, existing.id, 'published');
      return this.finish(em, caller, row, now.blueprint, 'blueprint.publish', existing, saved, false);
    });
  }

  /** Hides a published version from new orders; existing deployments keep it. */
  async deprecate(caller: Principal, name: string, versionName: string): Promise<WriteResult> {
    return this.uow.run(async (em) => {
      const row = await this.repo.find(caller.tenantId, name, em);
      if (!row) throw AppException.notFound(`blueprint ${name}`);
      const existing = await this.repo.findVersion(em, caller.tenantId, row.id, versionName, true);
      if (!existing) throw AppException.notFound(`blueprint ${name} version ${versionName}`);
      if (existing.state === 'deprecated') return { created: false, version: toVersionDto(row, existing) };
      if (existing.state === 'draft') {
        throw AppException.conflict(
          `${name}@${versionName} is a draft; only published versions can be deprecated (push to replace a draft)`,
        );
      }
      const saved = await this.repo.setState(em, caller.tenantId, existing.id, 'deprecated');
      await this.record(em, caller, row, 'blueprint.deprecate', existing, saved);
      return { created: false, version: toVersionDto(row, saved) };
    });
  }

  private async check(
    tenantId: string,
    upload: BlueprintUpload,
    state: 'draft' | 'published',
  ): Promise<Checked> {
    // The body parsers stop far bigger bodies; this catches JSON between the two limits.
    if (Buffer.byteLength(upload.text, 'utf8') > MAX_BLUEPRINT_BYTES) {
      throw new AppException(
        ErrorCode.PayloadTooLarge,
        `A blueprint may have at most ${MAX_BLUEPRINT_BYTES} bytes`,
      );
    }
    const loaded = await this.loader.load(tenantId, upload.text, upload.contentType);
    if (!loaded.ok) throw AppException.invalid(loaded.problems, 'The blueprint is invalid');
    const doc = loaded.blueprint;
    return {
      doc,
      version: {
        version: doc.metadata.version,
        state,
        source: upload.text,
        contentType: upload.contentType,
        document: doc,
        sha256: createHash('sha256').update(upload.text, 'utf8').digest('hex'),
      },
    };
  }

  private async lockBlueprint(em: EntityManager, caller: Principal, doc: BlueprintDocument) {
    const locked = await this.repo.upsertLocked(
      em,
      caller.tenantId,
      doc.metadata.name,
      blueprintFields(doc, caller.userName),
    );
    if (locked.row.kind !== doc.kind) {
      throw AppException.conflict(
        `${doc.metadata.name} is a ${locked.row.kind}; a name keeps its kind (choose another name)`,
        [{ path: 'kind', message: `must be ${locked.row.kind}` }],
      );
    }
    return locked;
  }

  private async insert(
    em: EntityManager,
    caller: Principal,
    row: BlueprintRow,
    version: NewVersion,
    blueprintCreated: boolean,
    action: string,
  ): Promise<WriteResult> {
    const saved = await this.repo.insertVersion(em, caller.tenantId, row.id, version);
    return this.finish(em, caller, row, version.document, action, undefined, saved, true, blueprintCreated);
  }

  private async finish(
    em: EntityManager,
    caller: Principal,
    row: BlueprintRow,
    doc: BlueprintDocument,
    action: string,
    before: VersionRow | undefined,
    saved: VersionRow,
    created: boolean,
    blueprintCreated = false,
  ): Promise<WriteResult> {
    // A new row already carries these fields; later versions refresh what the catalog lists.
    if (!blueprintCreated) {
      await this.repo.updateFields(em, caller.tenantId, row.id, blueprintFields(doc, row.owner));
    }
    await this.record(em, caller, row, action, before, saved);
    return { created, version: toVersionDto(row, saved) };
  }

  private async record(
    em: EntityManager,
    caller: Principal,
    row: BlueprintRow,
    action: string,
    before: VersionRow | undefined,
    after: VersionRow,
  ): Promise<void> {
    // The text itself stays out of the audit log; its hash identifies it.
    await this.audit.record(em, caller, {
      tenantId: caller.tenantId,
      action,
      resourceType: 'blueprint-version',
      resourceId: `${row.name}@${after.version}`,
      before: before ? toVersionDto(row, before) : null,
      after: toVersionDto(row, after),
    });
  }
}

function frozen(name: string, existing: VersionRow): AppException {
  return AppException.conflict(
    `${name}@${existing.version} is ${existing.state} and never changes; push the change as a new version`,
    [
      {
        path: 'metadata.version',
        message: `${existing.version} is already ${existing.state} with other text`,
      },
    ],
  );
}

function matchesPath(doc: BlueprintDocument, name: string, version: string): void {
  const details: ErrorDetail[] = [];
  if (doc.metadata.name !== name)
    details.push({ path: 'metadata.name', message: `must be ${name}, as in the path` });
  if (doc.metadata.version !== version) {
    details.push({ path: 'metadata.version', message: `must be ${version}, as in the path` });
  }
  if (details.length > 0) throw AppException.invalid(details, 'The body does not match the path');
}
