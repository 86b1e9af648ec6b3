import { Writable } from 'node:stream';
import { pino } from 'pino';
import { LOG_REDACT_PATHS } from './logging.module.js';

describe('log redaction', () => {
  it('keeps passwords, bodies and failed queries’ parameters out of log lines', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const log = pino({ redact: { paths: [...LOG_REDACT_PATHS] } }, sink);
    const failed = Object.assign(new Error('duplicate key'), {
      query: 'UPDATE users SET password_hash = $2 WHERE id = $1',
      parameters: ['0c1d', '$scrypt$ln=15,r=8,p=3$c2FsdA$a2V5'],
    });
    log.error({ err: failed, errorId: 'e1' }, 'unexpected error');
    log.info({ body: { user: 'alice', password: 'hunter2-hunter2' } }, 'a body');
    log.info({ dto: { currentPassword: 'old-one-old-one', newPassword: 'new-one-new-one' } }, 'a dto');
    log.info({ req: { headers: { authorization: 'Bearer syd_secret' } } }, 'a request');
    const text = lines.join('');
    for (const secret of ['$scrypt$', 'hunter2', 'old-one', 'new-one', 'syd_secret']) {
      expect(text).not.toContain(secret);
    }
    // what helps to debug stays
    expect(text).toContain('duplicate key');
    expect(text).toContain('UPDATE users SET password_hash');
  });
});
