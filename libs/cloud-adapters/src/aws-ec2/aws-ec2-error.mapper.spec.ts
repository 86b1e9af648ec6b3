import { CloudErrorCode } from '../adapter/cloud.exception.js';
import { mapAwsError } from './aws-ec2-error.mapper.js';

function sdkError(name: string, status?: number): Error {
  return Object.assign(new Error(`${name} happened`), {
    name,
    ...(status ? { $metadata: { httpStatusCode: status } } : {}),
  });
}

describe('mapAwsError', () => {
  it.each([
    ['AuthFailure', 401, CloudErrorCode.AuthFailed],
    ['InvalidClientTokenId', 403, CloudErrorCode.AuthFailed],
    ['RequestLimitExceeded', 503, CloudErrorCode.Throttled],
    ['InsufficientInstanceCapacity', 500, CloudErrorCode.CapacityUnavailable],
    ['InstanceLimitExceeded', 400, CloudErrorCode.QuotaExceeded],
    ['InvalidInstanceID.NotFound', 400, CloudErrorCode.NotFound],
    ['IncorrectInstanceState', 400, CloudErrorCode.InvalidRequest],
    ['DependencyViolation', 400, CloudErrorCode.InUse],
    ['InvalidGroup.InUse', 400, CloudErrorCode.InUse],
    ['ServiceUnavailable', 503, CloudErrorCode.Unavailable],
    ['Unknown', 502, CloudErrorCode.Unavailable],
    ['Unknown', 429, CloudErrorCode.Throttled],
  ])('%s (HTTP %s) becomes %s with the cloud code kept', (name, status, code) => {
    const mapped = mapAwsError(sdkError(name, status));
    expect(mapped).toMatchObject({ code, cloudCode: name, httpStatus: status, provider: 'aws-ec2' });
  });

  it('recognises socket failures re-wrapped by the SDK from another realm', () => {
    const wrapped = new Error('AWS SDK error wrapper for TimeoutError: socket hang up');
    expect(mapAwsError(wrapped)).toMatchObject({ code: CloudErrorCode.Unavailable, retryable: true });
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    expect(mapAwsError(refused)).toMatchObject({ code: CloudErrorCode.Unavailable });
  });
});
