import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import {
  answerPattern,
  createMeshService,
  DEFAULT_ANSWER_PATTERN,
  DEFAULT_PROBE_SETTINGS,
  DiskFileSource,
  probePlan,
  ProbePlan,
  probeReport,
  probeReportText,
  readAnswer,
  resolveProbeOptions,
  ServiceObservation,
  StageView,
  Workspace,
} from '../../server/src/engine';
import { judgeSplit, wilsonInterval } from '../../server/src/engine/probe/statistics';
import { splitCommand } from '../../server/src/engine/probe/plan';
import { runProbe } from '../../server/src/probe/runner';
import { REPO } from '../support/cases';

const DJ = path.join(REPO, 'examples', 'dj');

function exampleView(name: string): { view: StageView; namespace: ReturnType<ReturnType<typeof createMeshService>['rolloutNamespace']> } {
  const root = path.join(REPO, 'examples', name);
  const service = createMeshService(new Workspace(new DiskFileSource(), [root]));
  const view = service.stageView(path.join(root, 'kustomization.yaml'));
  assert.ok(view);
  return { view, namespace: service.rolloutNamespace(path.join(root, 'kustomization.yaml')) };
}

function plan(view: StageView, written: Parameters<typeof probePlan>[1], settings = {}, env = {}): ProbePlan {
  const result = probePlan(view, written, { ...DEFAULT_PROBE_SETTINGS, ...settings }, env);
  assert.ok(!('error' in result), JSON.stringify(result));
  return result;
}

describe('probe plan', () => {
  test("the DJ example: the seed's kubectl exec per service, the namespace filled from the environment as envsubst would", () => {
    const { view, namespace } = exampleView('dj');
    assert.deepEqual(namespace, { namespace: '${example_namespace}', source: 'kustomization' });
    const p = plan(view, namespace, {}, { example_namespace: 'prod' });
    assert.equal(p.namespace, 'prod');
    assert.deepEqual(
      p.targets.map((t) => [t.service, t.argv.join(' '), t.versions.map((v) => `${v.name}:${v.percent}`).join(' ')]),
      [
        ['jazz', 'kubectl exec -n prod deploy/dj -c dj -- curl -s http://jazz.prod.svc.cluster.local:9080', 'jazz-v1:95 jazz-v2:5'],
        ['metal', 'kubectl exec -n prod deploy/dj -c dj -- curl -s http://metal.prod.svc.cluster.local:9080', 'metal-v1:95 metal-v2:5'],
      ],
    );
    assert.deepEqual(p.contextArgv, ['kubectl', 'config', 'current-context']);
    const unset = probePlan(view, namespace, DEFAULT_PROBE_SETTINGS, {});
    assert.match((unset as { error: string }).error, /written '\$\{example_namespace\}' and \$example_namespace is not set/);
  });

  test('--context goes to kubectl and is the context shown; a namespace given wins; other programs have no context', () => {
    const { view, namespace } = exampleView('dj');
    const given = plan(view, namespace, { context: 'staging', namespace: 'qa' });
    assert.deepEqual(given.targets[0].argv.slice(0, 4), ['kubectl', '--context', 'staging', 'exec']);
    assert.equal(given.namespaceSource, 'option');
    assert.equal(given.context, 'staging');
    assert.equal(given.contextArgv, undefined, 'config current-context ignores --context: the given one is the answer');
    const curl = plan(view, undefined, { command: `curl -s -H 'Host: {host}' "http://127.0.0.1:8080/{service} x"`, context: 'staging' });
    assert.deepEqual(curl.targets[1].argv, ['curl', '-s', '-H', 'Host: metal.default.svc.cluster.local', 'http://127.0.0.1:8080/metal x']);
    assert.equal(curl.namespace, 'default');
    assert.equal(curl.kubectl, false);
    assert.equal(curl.contextArgv, undefined);
  });

  test('bad templates and namespaces are errors, not commands', () => {
    const { view, namespace } = exampleView('dj');
    const error = (settings: object, env = { example_namespace: 'prod' }): string =>
      (probePlan(view, namespace, { ...DEFAULT_PROBE_SETTINGS, ...settings }, env) as { error: string }).error;
    assert.match(error({ command: 'curl http://{hots}/' }), /unknown placeholder \{hots\}/);
    assert.match(error({ command: "curl 'http://x" }), /unclosed '/);
    assert.match(error({ command: '   ' }), /empty/);
    assert.match(error({}, { example_namespace: 'Prod; rm' }), /no namespace name/);
  });

  test('splitCommand reads words as a POSIX shell does, without expanding anything', () => {
    assert.deepEqual(splitCommand(`a 'b c' "d \\"e\\" $HOME" f\\ g ''`), ['a', 'b c', 'd "e" $HOME', 'f g', '']);
    assert.deepEqual(splitCommand('echo $(rm -rf /); `x`'), ['echo', '$(rm', '-rf', '/);', '`x`']);
  });

  test('the Istio example: versions named service/subset, namespace default', () => {
    const { view, namespace } = exampleView('reviews-istio');
    const p = plan(view, namespace);
    assert.deepEqual(
      p.targets.map((t) => t.versions),
      [
        [
          { name: 'reviews/v1', percent: 80 },
          { name: 'reviews/v2', percent: 20 },
          { name: 'reviews/v3', percent: 0 },
        ],
      ],
    );
  });
});

describe('reading answers', () => {
  const pattern = answerPattern(DEFAULT_ANSWER_PATTERN) as RegExp;
  test('the first JSON string of a DJ answer names the version', () => {
    assert.deepEqual(readAnswer('["metal-v1", "Megadeth","Judas Priest"]\n', pattern, 'metal', ['metal-v1', 'metal-v2']), { version: 'metal-v1' });
    assert.deepEqual(readAnswer('["metal-v3", "x"]', pattern, 'metal', ['metal-v1', 'metal-v2']), {
      error: "the answer names 'metal-v3', no version of metal (metal-v1, metal-v2)",
    });
    assert.match((readAnswer('<html>502 Bad Gateway</html>', pattern, 'metal', ['metal-v1']) as { error: string }).error, /^no version in the answer: <html>/);
  });

  test('a name matches a version by its own part: reviews-v2 and v2 answer for reviews/v2', () => {
    const versions = ['reviews/v1', 'reviews/v2'];
    assert.deepEqual(readAnswer('["reviews-v2"]', pattern, 'reviews', versions), { version: 'reviews/v2' });
    const own = answerPattern('version=(\\w+)') as RegExp;
    assert.deepEqual(readAnswer('ok version=v1 host=x', own, 'reviews', versions), { version: 'reviews/v1' });
  });

  test('a pattern needs exactly one capture group', () => {
    assert.match((answerPattern('v\\d') as { error: string }).error, /exactly one capture group.*not 0/);
    assert.match((answerPattern('(a)(b)') as { error: string }).error, /not 2/);
    assert.match((answerPattern('(') as { error: string }).error, /no regular expression/);
  });
});

describe('statistics', () => {
  test('Wilson 95 % intervals, known values', () => {
    const round = ([a, b]: [number, number]): [number, number] => [Math.round(a * 10000) / 10000, Math.round(b * 10000) / 10000];
    assert.deepEqual(round(wilsonInterval(5, 10)), [0.2366, 0.7634]);
    assert.deepEqual(round(wilsonInterval(0, 10)), [0, 0.2775]);
    assert.deepEqual(round(wilsonInterval(10, 10)), [0.7225, 1]);
    assert.deepEqual(round(wilsonInterval(190, 200)), [0.9104, 0.9726]);
  });

  test('a split is consistent when every configured share lies in its interval; 0 % and 100 % are exact', () => {
    const versions = [
      { name: 'v1', percent: 95 },
      { name: 'v2', percent: 5 },
    ];
    const verdicts = (counts: Record<string, number>, n: number): boolean[] => judgeSplit(versions, counts, n).map((v) => v.consistent);
    assert.deepEqual(verdicts({ v1: 186, v2: 14 }, 200), [true, true], '93/7 of 200');
    assert.deepEqual(verdicts({ v1: 100, v2: 100 }, 200), [false, false], '50/50 of 200');
    assert.deepEqual(verdicts({ v1: 200 }, 200), [false, false], 'no answer at all from a 5 % version of 200');
    const zero = [
      { name: 'v1', percent: 100 },
      { name: 'v2', percent: 0 },
    ];
    assert.deepEqual(
      judgeSplit(zero, { v1: 999, v2: 1 }, 1000).map((v) => v.consistent),
      [false, false],
      'one answer from a 0 % version',
    );
    assert.deepEqual(
      judgeSplit(zero, { v1: 1000 }, 1000).map((v) => v.consistent),
      [true, true],
    );
  });

  test('the report: observed and configured split, intervals, failures; ok only when consistent within the threshold', () => {
    const { view, namespace } = exampleView('dj');
    const p = plan(view, namespace, {}, { example_namespace: 'prod' });
    const observations: ServiceObservation[] = [
      { service: 'jazz', sent: 200, answers: { 'jazz-v1': 186, 'jazz-v2': 14 }, failed: 0, failureSamples: [] },
      { service: 'metal', sent: 200, answers: { 'metal-v1': 190, 'metal-v2': 6 }, failed: 4, failureSamples: ['exit status 7: curl: (7) Failed to connect'] },
    ];
    const run = { requests: 200, maxFailedPercent: 2, cancelled: false, elapsedMs: 1500, context: 'kube context x' };
    const report = probeReport(p, observations, run);
    assert.deepEqual(
      report.services.map((s) => s.summary),
      [
        'jazz: observed 93/7 over 200 requests, configured 95/5: consistent',
        'metal: observed 97/3 over 196 answers (4 of 200 requests failed), configured 95/5: consistent',
      ],
    );
    assert.equal(report.ok, true, '4 of 200 failed: 2 %, within 2 %');
    assert.equal(probeReport(p, observations, { ...run, maxFailedPercent: 1 }).ok, false);
    assert.equal(probeReport(p, observations, { ...run, cancelled: true }).ok, false);
    const text = probeReportText(report);
    assert.ok(text.includes('  jazz-v2      14    7.0 %  95 % interval 4.2–11.4 %, configured 5 %'), text.join('\n'));
    assert.ok(text.includes('  failed: 4 of 200 (2.0 %), e.g.'));
    assert.equal(text[text.length - 1], 'Consistent: 200 requests per service in 1.5 s; failures allowed up to 2 %.');
  });
});

describe('options', () => {
  test('defaults, and one error for a bad value', () => {
    const resolved = resolveProbeOptions({ namespace: '', requests: 50 });
    assert.ok(!('error' in resolved));
    assert.equal(resolved.settings.namespace, undefined, 'an emptied setting is not set');
    assert.equal(resolved.requests, 50);
    assert.equal(resolved.timeoutMs, 10_000);
    assert.match((resolveProbeOptions({ requests: 0 }) as { error: string }).error, /requests must be a whole number from 1/);
    assert.match((resolveProbeOptions({ port: NaN }) as { error: string }).error, /port must be/);
    assert.match((resolveProbeOptions({ answerPattern: 'x' }) as { error: string }).error, /one capture group/);
  });
});

describe('runner', () => {
  test('runs argv without a shell, counts exit statuses, timeouts and answers', async () => {
    const node = process.execPath;
    const script = (body: string): string => `'${node}' -e '${body}'`;
    const target = (service: string, command: string) => {
      const p = probePlan(
        {
          kustomization: path.join(DJ, 'kustomization.yaml'),
          label: 'test',
          stage: undefined,
          reason: undefined,
          next: undefined,
          rollBack: undefined,
          path: [],
          moves: [],
          services: [{ name: service, versions: [{ name: `${service}-v1`, running: true, percent: 100 }], stopped: [] }],
        },
        undefined,
        { ...DEFAULT_PROBE_SETTINGS, command },
      );
      assert.ok(!('error' in p), JSON.stringify(p));
      return p;
    };
    const pattern = answerPattern(DEFAULT_ANSWER_PATTERN) as RegExp;
    const options = { requests: 4, concurrency: 2, timeoutMs: 2000, pattern };
    // The argument arrives as one word, `;` and `$(...)` untouched: no shell read it.
    const echo = await runProbe(target('metal', `${script('console.log(JSON.stringify([process.argv[1]]))')} 'metal-v1'`), options);
    assert.deepEqual(echo.observations[0].answers, { 'metal-v1': 4 });
    const literal = await runProbe(target('metal', `${script('console.log(JSON.stringify([process.argv[1]]))')} 'metal-v1; $(false)'`), options);
    assert.deepEqual(literal.observations[0].failureSamples, ["the answer names 'metal-v1; $(false)', no version of metal (metal-v1)"]);
    const failing = await runProbe(target('metal', script('console.error("log line\\nboom"); process.exit(3)')), options);
    assert.deepEqual([failing.observations[0].failed, failing.observations[0].failureSamples], [4, ['exit status 3: boom']]);
    const slow = await runProbe(target('metal', script('setTimeout(() => {}, 5000)')), { ...options, requests: 1, timeoutMs: 200 });
    assert.deepEqual(slow.observations[0].failureSamples, ['no answer within 0.2 s (killed)']);
    const missing = await runProbe(target('metal', 'no-such-program-here'), { ...options, requests: 1 });
    assert.deepEqual(missing.observations[0].failureSamples, ['cannot run no-such-program-here: not found']);
  });
});

describe('mesh-kustomize probe: bad usage', () => {
  const CLI = path.join(REPO, 'dist', 'cli.js');
  const probe = (...args: string[]) =>
    spawnSync(process.execPath, [CLI, 'probe', ...args], { encoding: 'utf8', env: { ...process.env, example_namespace: 'prod' } });
  test('bad values, unknown placeholders and a folder of several rollouts are usage errors (2), and nothing runs', () => {
    for (const [args, message] of [
      [[DJ, '--requests', 'x'], /--requests needs a number, not 'x'/],
      [[DJ, '--requests', '0'], /requests must be a whole number from 1/],
      [[DJ, '--command', 'curl http://{hots}/'], /unknown placeholder \{hots\}/],
      [[DJ, '--answer-pattern', 'v\\d'], /exactly one capture group/],
      [[path.join(REPO, 'examples')], /holds 4 kustomizations with router files; name one/],
    ] as const) {
      const run = probe(...args);
      assert.equal(run.status, 2, run.stderr);
      assert.match(run.stderr, message);
      assert.equal(run.stdout, '', 'no context line: nothing was about to run');
    }
  });
});
