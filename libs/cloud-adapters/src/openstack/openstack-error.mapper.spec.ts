import { CloudErrorCode } from '../adapter/cloud.exception.js';
import { mapOpenStackError, mapOpenStackTransport } from './openstack-error.mapper.js';

describe('mapOpenStackError', () => {
  it.each([
    [
      404,
      '{"itemNotFound": {"code": 404, "message": "Instance x could not be found."}}',
      CloudErrorCode.NotFound,
      'itemNotFound',
    ],
    [
      403,
      '{"forbidden": {"code": 403, "message": "Quota exceeded for instances"}}',
      CloudErrorCode.QuotaExceeded,
      'forbidden',
    ],
    [
      409,
      '{"NeutronError": {"type": "OverQuota", "message": "Quota exceeded for resources: [\'port\']."}}',
      CloudErrorCode.QuotaExceeded,
      'OverQuota',
    ],
    [
      409,
      '{"NeutronError": {"type": "IpAddressAlreadyAllocated", "message": "IP 10.0.0.5 already allocated"}}',
      CloudErrorCode.InvalidRequest,
      'IpAddressAlreadyAllocated',
    ],
    [
      409,
      '{"NeutronError": {"type": "NetworkInUse", "message": "Unable to complete operation on network n. There are one or more ports still in use on the network."}}',
      CloudErrorCode.InUse,
      'NetworkInUse',
    ],
    [
      409,
      '{"NeutronError": {"type": "SecurityGroupInUse", "message": "Security Group s in use."}}',
      CloudErrorCode.InUse,
      'SecurityGroupInUse',
    ],
    [
      400,
      '{"badRequest": {"code": 400, "message": "Invalid flavorRef provided."}}',
      CloudErrorCode.InvalidRequest,
      'badRequest',
    ],
    [503, '<html><body>503 Service Unavailable</body></html>', CloudErrorCode.Unavailable, 'HTTP503'],
    [429, '{"overLimit": {"code": 429, "message": "Over limit"}}', CloudErrorCode.Throttled, 'overLimit'],
  ])('HTTP %s %s → %s', (status, body, code, cloudCode) => {
    expect(mapOpenStackError(status, body)).toMatchObject({ code, cloudCode, httpStatus: status });
  });

  it('treats no answer as Unavailable and a rejected certificate as a clear InvalidRequest', () => {
    const refused = Object.assign(new TypeError('fetch failed'), {
      cause: { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' },
    });
    expect(mapOpenStackTransport('http://x', refused)).toMatchObject({
      code: CloudErrorCode.Unavailable,
      retryable: true,
    });
    const tls = Object.assign(new TypeError('fetch failed'), {
      cause: { code: 'DEPTH_ZERO_SELF_SIGNED_CERT', message: 'self-signed' },
    });
    expect(mapOpenStackTransport('https://x', tls)).toMatchObject({
      code: CloudErrorCode.InvalidRequest,
      retryable: false,
      cloudMessage: expect.stringContaining('configure caCert or insecure'),
    });
  });
});
