import { Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { AppException } from './app.exception.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A path parameter that must be a UUID; a bad one is a 400 naming the parameter. */
@Injectable()
export class UuidPipe implements PipeTransform<string, string> {
  transform(value: string, meta: ArgumentMetadata): string {
    if (!UUID.test(value))
      throw AppException.invalid([{ path: meta.data ?? 'id', message: 'must be a UUID' }]);
    return value.toLowerCase();
  }
}
