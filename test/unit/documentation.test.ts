import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { test } from 'node:test';
import { allRules, ruleDocumentation } from '../../server/src/engine';

test('every rule has a documentation page that names its code and default severity, listed in the index', () => {
  const index = fs.readFileSync(ruleDocumentation('README'), 'utf8');
  for (const rule of allRules) {
    const page = fs.readFileSync(ruleDocumentation(rule.code), 'utf8');
    assert.match(page, new RegExp(`^# ${rule.code}\\n`), `${rule.code}.md starts with its code`);
    assert.match(page, new RegExp(`\\*\\*Default severity:\\*\\* ${rule.defaultSeverity}`), `${rule.code}.md states the default severity`);
    assert.ok(index.includes(`[${rule.code}](${rule.code}.md) | ${rule.defaultSeverity} |`), `README lists ${rule.code}`);
  }
});
