import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { copyTree, materialize, REPO } from '../support/cases';

const CLI = path.join(REPO, 'dist', 'cli.js');

function cli(args: string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('mesh-kustomize check', () => {
  test('a valid stage exits 0 and says what it checked', () => {
    const { root } = materialize('stage-canary-2-v2-5');
    const result = cli(['check', '.'], root);
    assert.equal(result.status, 0, result.stderr);
    const files = fs.readdirSync(root).filter((name) => name.endsWith('.yaml')).length;
    assert.equal(result.stdout, `1 kustomization and ${files} files checked: 0 errors, 0 warnings, 0 notes\n`);
  });

  test('a broken stage exits 1 with file:line:col severity code message lines', () => {
    const { root } = materialize('router-to-disabled-v2');
    const result = cli(['check'], root);
    assert.equal(result.status, 1);
    const lines = result.stdout.trim().split('\n');
    assert.deepEqual(
      lines.slice(0, -1).map((l) => l.split(' ').slice(0, 3).join(' ')),
      [
        'dj-mesh-router-v1-95-v2-5.yaml:22:23 error router-target-not-running',
        'dj-mesh-router-v1-95-v2-5.yaml:45:23 error router-target-not-running',
        'kustomization.yaml:11:3 error router-target-not-running',
      ],
    );
    assert.match(lines.at(-1)!, /^1 kustomization and \d+ files checked: 3 errors, 0 warnings, 0 notes$/);
  });

  test('a folder of manifests without a kustomization counts the files it checked', () => {
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'mk-cli-'));
    for (const name of ['dj-app-mesh-frontend.yaml', 'dj-app-mesh-metal-v1.yaml', 'dj-mesh-router-v1.yaml']) {
      fs.copyFileSync(path.join(REPO, 'examples', 'dj', name), path.join(cwd, name));
    }
    const router = path.join(cwd, 'dj-mesh-router-v1.yaml');
    fs.writeFileSync(router, fs.readFileSync(router, 'utf8').replace(/weight: 100/, 'weight: 150'));
    // YAML that is neither a kustomization, App Mesh nor read by a build is not ours: not counted.
    fs.mkdirSync(path.join(cwd, '.github', 'workflows'), { recursive: true });
    fs.writeFileSync(path.join(cwd, '.github', 'workflows', 'ci.yaml'), 'on: push\njobs: {}\n');
    const result = cli(['check'], cwd);
    assert.equal(result.status, 1, result.stdout);
    const lines = result.stdout.trim().split('\n');
    assert.ok(
      lines.some((l) => l.startsWith('dj-mesh-router-v1.yaml:') && l.includes('weight-out-of-range')),
      result.stdout,
    );
    assert.match(lines.at(-1)!, /^0 kustomizations and 3 files checked: (1 error|\d*[1-9]\d* errors), /);
  });

  test('warnings alone exit 0', () => {
    const { root } = materialize('weights-90-5');
    const result = cli(['check', '--format', 'json'], root);
    assert.equal(result.status, 0);
    const diagnostics = JSON.parse(result.stdout) as { path: string; severity: string; code: string; range: { start: { line: number } } }[];
    assert.deepEqual(
      diagnostics.map((d) => [d.path, d.range.start.line + 1, d.severity, d.code]),
      [['dj-mesh-router-v1-95-v2-5.yaml', 17, 'warning', 'weight-total-not-100']],
    );
  });

  test('SARIF 2.1.0 output carries rules, results and related locations with relative paths', () => {
    const { root } = materialize('router-to-disabled-v2');
    const result = cli(['check', '--format=sarif', root], path.dirname(root));
    assert.equal(result.status, 1);
    const sarif = JSON.parse(result.stdout);
    assert.equal(sarif.version, '2.1.0');
    const run = sarif.runs[0];
    assert.ok(run.tool.driver.rules.some((r: { id: string }) => r.id === 'router-target-not-running'));
    assert.equal(run.results.length, 3);
    const entry = run.results.find((r: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) =>
      r.locations[0].physicalLocation.artifactLocation.uri.endsWith('/kustomization.yaml'),
    );
    assert.equal(entry.level, 'error');
    assert.equal(entry.locations[0].physicalLocation.artifactLocation.uri, `${path.basename(root)}/kustomization.yaml`);
    assert.equal(entry.locations[0].physicalLocation.region.startLine, 11);
    assert.equal(entry.relatedLocations.length, 2);
  });

  test('--gateway-profile decides where the Lattice rules apply: auto by the Gateways found, lattice everywhere, generic nowhere', () => {
    // The route breaks several Lattice limits, on a Gateway of an Istio GatewayClass.
    const generic = materialize('gateway-lattice-generic-gateway').root;
    const codes = (args: string[], root: string): string[] =>
      (JSON.parse(cli(['check', '--format', 'json', ...args], root).stdout) as { code: string }[]).map((d) => d.code).sort();
    assert.deepEqual(codes([], generic), []);
    assert.deepEqual(codes(['--gateway-profile', 'auto'], generic), []);
    assert.deepEqual(codes(['--gateway-profile', 'lattice'], generic), [
      'lattice-header-match-type',
      'lattice-ignored-field',
      'lattice-multiple-matches',
      'lattice-query-param-match',
      'lattice-weight-over-999',
    ]);
    const lattice = materialize('gateway-lattice-multiple-matches').root;
    assert.deepEqual(codes([], lattice), ['lattice-multiple-matches']);
    assert.deepEqual(codes(['--gateway-profile=generic'], lattice), []);
    const wrong = cli(['check', '--gateway-profile', 'istio'], lattice);
    assert.equal(wrong.status, 2);
    assert.match(wrong.stderr, /unknown --gateway-profile value 'istio' \(auto, lattice or generic\)/);
  });

  test('--istio-version below 1.15 reports totals other than 100, as the webhook of those versions did', () => {
    const { root } = materialize('istio-weight-total-not-100');
    const codes = (args: string[]): string[] =>
      (JSON.parse(cli(['check', '--format', 'json', ...args], root).stdout) as { code: string }[]).map((d) => d.code).sort();
    assert.deepEqual(codes([]), ['idle-subset-without-workloads']);
    assert.deepEqual(codes(['--istio-version', '1.15']), ['idle-subset-without-workloads']);
    assert.deepEqual(codes(['--istio-version', '1.14']), ['idle-subset-without-workloads', 'istio-weight-total-not-100']);
    assert.equal(cli(['check', '--istio-version=1.14.6'], root).status, 1);
    const wrong = cli(['check', '--istio-version', 'latest'], root);
    assert.equal(wrong.status, 2);
    assert.match(wrong.stderr, /the --istio-version value must be a version such as 1\.14/);
  });

  test('--max-file-size sets the size above which files are reported and not read', () => {
    const { root } = materialize('stage-canary-2-v2-5');
    const router = path.join(root, 'dj-mesh-router-v1-95-v2-5.yaml');
    fs.appendFileSync(router, `# ${'x'.repeat(300 * 1024)}\n`);
    const small = cli(['check', '--format', 'json', '--max-file-size', '0.25'], root);
    const codes = (JSON.parse(small.stdout) as { path: string; code: string }[]).map((d) => `${d.path} ${d.code}`);
    assert.ok(codes.includes('dj-mesh-router-v1-95-v2-5.yaml file-too-large'), JSON.stringify(codes));
    const large = cli(['check', '--max-file-size=1'], root);
    assert.equal(large.status, 0, large.stdout);
  });

  test('bad usage exits 2 with the usage text', () => {
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'mk-cli-'));
    for (const args of [[], ['lint'], ['check', '--format', 'xml'], ['check', '--bogus'], ['check', 'no/such/dir'], ['check', '--max-file-size', 'big']]) {
      const result = cli(args, cwd);
      assert.equal(result.status, 2, `${args.join(' ')} exits 2`);
      assert.match(result.stderr, /Usage: mesh-kustomize check/);
    }
  });
});

describe('mesh-kustomize help and usage errors', () => {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'mk-cli-help-'));

  test('--help, help check and check --help print the usage, options with defaults, exit status and an example', () => {
    const program = cli(['--help'], cwd);
    assert.equal(program.status, 0);
    assert.equal(program.stderr, '');
    assert.match(program.stdout, /^Usage: mesh-kustomize check \[PATH\.\.\.\]/);
    assert.match(program.stdout, /\nCommands:\n {2}check +Report [^]*\n {2}help +Show /);
    assert.match(
      program.stdout,
      /\n {2}1 +check: an error was reported\. diff: the change introduces an error\.\s+migrate: the tree cannot be migrated[^]*?\n {2}2 +Bad usage/,
    );
    assert.match(program.stdout, /\nExamples:\n {2}mesh-kustomize check /);
    assert.equal(cli(['help'], cwd).stdout, program.stdout);
    assert.equal(cli(['-h'], cwd).stdout, program.stdout);

    const check = cli(['check', '--help'], cwd);
    assert.equal(check.status, 0);
    assert.equal(check.stderr, '');
    for (const expected of [
      /^Usage: mesh-kustomize check \[PATH\.\.\.\] \[--format text\|json\|sarif\] \[--gateway-profile auto\|lattice\|generic\] \[--istio-version VERSION\] \[--max-file-size MB\]\n/,
      /\n {2}PATH\.\.\. +Files and folders to check\. Default: the current directory\./,
      /\n {2}--format FORMAT +text: [^]*Default: text\./,
      /\n {2}--max-file-size MB +Files larger [^]*Default: 1\./,
      /\n {2}-h, --help +Show this help\./,
      /\nExit status:\n {2}0 +No error was reported[^]*\n {2}1 +An error was reported\.\n {2}2 +Bad usage/,
      /\nExample:\n {2}mesh-kustomize check \S/,
    ]) {
      assert.match(check.stdout, expected);
    }
    // The help wins over everything else on the line, so that a user in trouble gets it.
    for (const args of [
      ['help', 'check'],
      ['check', '-h'],
      ['check', '--bogus', '--help'],
      ['check', 'no/such/dir', '-h'],
    ]) {
      const result = cli(args, cwd);
      assert.equal(result.status, 0, args.join(' '));
      assert.equal(result.stdout, check.stdout, args.join(' '));
    }
    assert.match(cli(['help', 'help'], cwd).stdout, /^Usage: mesh-kustomize help \[COMMAND\]\n/);
  });

  test('an unknown option, command or value, or a missing value, is one line and a pointer to the help, exit 2', () => {
    const cases: [string[], string, string][] = [
      [['check', '--bogus'], "unknown option '--bogus'", 'mesh-kustomize check --help'],
      [['check', '-x'], "unknown option '-x'", 'mesh-kustomize check --help'],
      [['check', '--format'], "option '--format' needs a value (text, json or sarif)", 'mesh-kustomize check --help'],
      [['check', '--max-file-size'], "option '--max-file-size' needs a value (MB)", 'mesh-kustomize check --help'],
      [['check', '--format', '--max-file-size', '1'], "option '--format' needs a value (text, json or sarif)", 'mesh-kustomize check --help'],
      [['check', '--format', 'xml'], "unknown --format value 'xml' (text, json or sarif)", 'mesh-kustomize check --help'],
      [['check', 'no/such/dir'], 'no such file or directory: no/such/dir', 'mesh-kustomize check --help'],
      [['lint'], "unknown command 'lint'", 'mesh-kustomize --help'],
      [['help', 'lint'], "unknown command 'lint'", 'mesh-kustomize --help'],
      [['help', 'check', 'more'], "unexpected argument 'more'", 'mesh-kustomize help --help'],
      [['--bogus'], "unknown option '--bogus' (options follow the command)", 'mesh-kustomize --help'],
      [[], 'missing command', 'mesh-kustomize --help'],
    ];
    for (const [args, message, help] of cases) {
      const result = cli(args, cwd);
      assert.equal(result.status, 2, args.join(' '));
      assert.equal(result.stdout, '', args.join(' '));
      const lines = result.stderr.trimEnd().split('\n');
      assert.equal(lines[0], `mesh-kustomize: ${message}`);
      assert.match(lines[1], /^Usage: mesh-kustomize /);
      assert.equal(lines.at(-1), `Run '${help}' for more.`);
    }
  });

  test('a path that starts with a dash is given after --', () => {
    const { root } = materialize('stage-canary-2-v2-5');
    const odd = path.join(cwd, '-odd');
    fs.cpSync(root, odd, { recursive: true });
    const result = cli(['check', '--format', 'json', '--', '-odd'], cwd);
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), []);
    assert.equal(cli(['check', '-odd'], cwd).status, 2);
  });
});

describe('mesh-kustomize check into a pipe', () => {
  test('a reader that closes early (| head -1) ends the output without a stack trace, keeping the exit status', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mk-cli-pipe-'));
    // Far more output than a pipe buffers, so writes go on after the reader has gone.
    const entries = Array.from({ length: 5000 }, (_, i) => `- missing-file-number-${i}.yaml`);
    fs.writeFileSync(path.join(root, 'kustomization.yaml'), `resources:\n${entries.join('\n')}\n`);
    const piped = spawnSync('bash', ['-c', `"${process.execPath}" "${CLI}" check . | head -1; echo "status \${PIPESTATUS[0]}"`], {
      cwd: root,
      encoding: 'utf8',
    });
    const lines = piped.stdout.trim().split('\n');
    assert.match(lines[0], /^kustomization\.yaml:2:3 error missing-resource /);
    assert.equal(lines[1], 'status 1');
    assert.equal(piped.stderr, '');
  });
});

describe('mesh-kustomize stage', () => {
  test('text: the stage on the path, each version with its share and whether it runs, the moves', () => {
    const root = copyTree(path.join(REPO, 'examples', 'dj-broken'));
    const result = cli(['stage'], root);
    assert.equal(result.status, 0, result.stderr);
    const lines = result.stdout.split('\n');
    assert.equal(lines[0], 'kustomization.yaml: Stage: unknown — dj-mesh-router-v1-95-v2-5.yaml routes to jazz-v2, metal-v2, which are not running');
    assert.equal(lines[1], '  path: blue → blue/green → canary 5 % → canary 95 % → green with rollback → green final');
    assert.ok(lines.includes('         metal-v2  █░░░░░░░░░░░░░░░░░░░     5 %  NOT RUNNING, routed'), result.stdout);
    assert.ok(lines.includes('  metal  metal-v1  ███████████████████░    95 %  running'), result.stdout);
    assert.match(result.stdout, /\n {2}moves: Switch to blue \(v1 only\) · .*Switch to canary 5%/);
  });

  test('json and markdown carry the same, for scripts and pull requests; the current stage marked', () => {
    const { root } = materialize('stage-canary-2-v2-5');
    const [view] = JSON.parse(cli(['stage', '--format', 'json'], root).stdout) as {
      kustomization: string;
      stage: unknown;
      path: { name: string; current: boolean }[];
      services: { name: string; versions: { name: string; running: boolean; percent: number }[] }[];
    }[];
    assert.equal(view.kustomization, 'kustomization.yaml');
    assert.deepEqual(view.stage, { kind: 'canary', percent: 5 });
    assert.deepEqual(
      view.path.filter((p) => p.current).map((p) => p.name),
      ['canary 5 %'],
    );
    assert.deepEqual(
      view.services.map((s) => [s.name, s.versions.map((v) => [v.name, v.running, v.percent])]),
      [
        [
          'jazz',
          [
            ['jazz-v1', true, 95],
            ['jazz-v2', true, 5],
          ],
        ],
        [
          'metal',
          [
            ['metal-v1', true, 95],
            ['metal-v2', true, 5],
          ],
        ],
      ],
    );
    const markdown = cli(['stage', '--format', 'markdown'], root).stdout;
    assert.match(markdown, /^### `kustomization\.yaml`: canary 5 % — jazz 95\/5, metal 95\/5\n\nblue → blue\/green → \*\*canary 5 %\*\* → canary 95 %/);
    assert.match(markdown, /\| metal \| metal-v1 \| 95 % \| yes \|/);
  });
});
