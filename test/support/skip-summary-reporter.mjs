// Ends every Jest run with the tests that did not run and why, so that a green run on a machine
// without OpenStack or chromium says so in its last lines. Reasons come from test/support/skips.ts,
// which appends them to the file named in SWITCHYARD_SKIP_LOG (set here, before any worker starts).
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

export default class SkipSummaryReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
    this.log = join(tmpdir(), `switchyard-skips-${process.pid}-${Date.now()}.jsonl`);
    writeFileSync(this.log, '');
    process.env.SWITCHYARD_SKIP_LOG = this.log;
  }

  onRunComplete(_contexts, results) {
    const reasons = new Map();
    if (existsSync(this.log)) {
      for (const line of readFileSync(this.log, 'utf8').split('\n')) {
        if (!line) continue;
        const { testPath, reason } = JSON.parse(line);
        const list = reasons.get(testPath) ?? new Set();
        list.add(reason);
        reasons.set(testPath, list);
      }
      rmSync(this.log, { force: true });
    }
    const byReason = new Map();
    for (const file of results.testResults) {
      const skipped = file.testResults.filter((t) => t.status === 'pending' || t.status === 'skipped');
      if (skipped.length === 0) continue;
      const why = [...(reasons.get(file.testFilePath) ?? ['no reason recorded (a plain it.skip?)'])].join(
        '; ',
      );
      const entry = byReason.get(why) ?? [];
      entry.push(...skipped.map((t) => `${relative(this.rootDir, file.testFilePath)}: ${t.fullName}`));
      byReason.set(why, entry);
    }
    const out = process.stderr;
    const total = [...byReason.values()].reduce((n, list) => n + list.length, 0);
    if (total === 0) {
      out.write('\nSkipped: none (every registered test ran)\n');
      return;
    }
    out.write(`\nSkipped: ${total} test(s) did not run\n`);
    for (const [why, tests] of byReason) {
      out.write(`  ${tests.length} because ${why}\n`);
      for (const t of tests) out.write(`    - ${t}\n`);
    }
  }
}
