import type { QuotaRefusal } from '@switchyard/core/governance';
import { AppException, ErrorCode } from '../../common/app.exception.js';

/**
 * The 409 of a refused reservation: `code: "quota.exceeded"`, the first quota it would break in
 * `quota` (which, the amount used, the limit, what the request needs), every one in `details`.
 */
export function quotaExceeded(refusals: readonly QuotaRefusal[], what: 'order' | 'scale'): AppException {
  const [first] = refusals;
  const { message: _m, ...quota } = first!;
  return new AppException(
    ErrorCode.QuotaExceeded,
    `The ${what} exceeds a quota: ${first!.message}`,
    refusals.map((r) => ({ path: `quota.${r.environment ?? 'tenant'}.${r.resource}`, message: r.message })),
    undefined,
    { code: 'quota.exceeded', quota },
  );
}
