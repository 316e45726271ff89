// The GraphQL-over-HTTP audit of graphql-http against a running partnernet server.
//
// PARTNERNET_URL names the endpoint (for instance http://127.0.0.1:8080/graphql). Every MUST
// audit is a test that fails when the server does not comply; SHOULD and MAY audits are tests
// that pass either way and report their result. With AUDIT_REPORT set, the results are also
// written there as JSON, for the README's table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { serverAudits } from 'graphql-http';

const url = process.env.PARTNERNET_URL;
if (!url) {
  throw new Error('PARTNERNET_URL is required, for instance http://127.0.0.1:8080/graphql');
}

const results = [];

for (const audit of serverAudits({ url })) {
  const requirement = audit.name.split(' ')[0];
  test(`${audit.id} ${audit.name}`, async (t) => {
    const result = await audit.fn();
    let reason = result.status === 'ok' ? '' : result.reason;
    if (result.status !== 'ok' && result.response) {
      const body = await result.response.text().catch(() => '');
      reason += ` (HTTP ${result.response.status} ${result.response.headers.get('content-type') ?? ''}: ${body.slice(0, 200)})`;
    }
    results.push({ id: audit.id, name: audit.name, requirement, status: result.status, reason });
    if (requirement === 'MUST') {
      assert.equal(result.status, 'ok', reason);
    } else if (result.status !== 'ok') {
      t.diagnostic(`${requirement} not met: ${reason}`);
    }
  });
}

test.after(() => {
  const count = (req, status) => results.filter((r) => r.requirement === req && r.status === status).length;
  for (const req of ['MUST', 'SHOULD', 'MAY']) {
    console.log(`# ${req}: ${count(req, 'ok')} ok, ${results.filter((r) => r.requirement === req && r.status !== 'ok').length} not met`);
  }
  if (process.env.AUDIT_REPORT) {
    results.sort((a, b) => a.id.localeCompare(b.id));
    writeFileSync(process.env.AUDIT_REPORT, JSON.stringify(results, null, 2) + '\n');
  }
});
