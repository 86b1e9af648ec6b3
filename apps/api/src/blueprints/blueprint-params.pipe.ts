import { Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { parseReference } from '@switchyard/blueprints';
import semver from 'semver';
import { AppException } from '../common/app.exception.js';

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** `{name}` in a blueprint path: a DNS label, as metadata.name. */
@Injectable()
export class BlueprintNamePipe implements PipeTransform<string, string> {
  transform(value: string, meta: ArgumentMetadata): string {
    if (!LABEL.test(value)) {
      throw AppException.invalid([
        { path: meta.data ?? 'name', message: 'must be a blueprint name (a DNS label)' },
      ]);
    }
    return value;
  }
}

/** `{version}` to read or plan: an exact version (any state), `latest` or a semver range. */
@Injectable()
export class VersionRefPipe implements PipeTransform<string, string> {
  transform(value: string, meta: ArgumentMetadata): string {
    const parsed = parseReference(`x@${value}`);
    if (!parsed.ok)
      throw AppException.invalid([{ path: meta.data ?? 'version', message: parsed.problem.message }]);
    return parsed.reference.range;
  }
}

/** `{version}` to publish or deprecate: one exact semantic version. */
@Injectable()
export class ExactVersionPipe implements PipeTransform<string, string> {
  transform(value: string, meta: ArgumentMetadata): string {
    if (semver.valid(value) !== value) {
      throw AppException.invalid([
        { path: meta.data ?? 'version', message: 'must be an exact semantic version such as 1.2.0' },
      ]);
    }
    return value;
  }
}
