import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseKustomization } from '../../server/src/engine';
import { parseYaml } from '../../server/src/engine/yaml';

function entries(text: string): [string, boolean, number, string][] {
  return parseKustomization('/k/kustomization.yaml', parseYaml(text)).entries.map((e) => [e.value, e.enabled, e.line, e.field]);
}

describe('kustomization entries', () => {
  test('reads every disabled shape, with trailing comments, and skips section headers and prose', () => {
    const text = [
      'resources:', //                                     0
      '### dj app', //                                     1
      '- frontend.yaml   # the dj app', //                 2
      '#- metal-v1.yaml', //                               3
      '# - metal-v2.yaml # canary', //                     4
      '# jazz-v1.yaml', //                                 5
      '##- jazz-v2.yaml', //                               6
      '# TODO enable the canary router next week', //      7
      '# routers', //                                      8
      '#- ../base/', //                                    9
      "#- 'quoted.yaml'", //                               10
      '#-router.yaml', //                                  11
      'namespace: demo', //                                12
    ].join('\n');
    assert.deepEqual(entries(text), [
      ['frontend.yaml', true, 2, 'resources'],
      ['metal-v1.yaml', false, 3, 'resources'],
      ['metal-v2.yaml', false, 4, 'resources'],
      ['jazz-v1.yaml', false, 5, 'resources'],
      ['jazz-v2.yaml', false, 6, 'resources'],
      ['../base/', false, 9, 'resources'],
      ['quoted.yaml', false, 10, 'resources'],
      ['router.yaml', false, 11, 'resources'],
    ]);
  });

  test('keeps exact ranges of the value on its line, for active and disabled entries', () => {
    const k = parseKustomization('/k/kustomization.yaml', parseYaml('resources:\n  - "a.yaml"\n  # - b.yaml  # off\n'));
    assert.deepEqual(
      k.entries.map((e) => [e.range.start.line, e.range.start.character, e.range.end.character]),
      [
        [1, 4, 12],
        [2, 6, 12],
      ],
    );
  });

  test('a key whose items are all commented out still has its disabled entries', () => {
    assert.deepEqual(entries('resources:\n#- a.yaml\n#- b.yaml\n'), [
      ['a.yaml', false, 1, 'resources'],
      ['b.yaml', false, 2, 'resources'],
    ]);
  });

  test('a commented-out key ends the section above it, and comments under other keys are not entries', () => {
    const text = 'resources:\n- a.yaml\n#components:\n#- ../comp\nimages:\n#- b.yaml\n';
    assert.deepEqual(entries(text), [['a.yaml', true, 1, 'resources']]);
  });

  test('components, bases and patch files are entries too; patches by path, disabled or not', () => {
    const text = [
      'bases:',
      '- ../base',
      'components:',
      '#- ../components/tracing',
      'patchesStrategicMerge:',
      '- patch.yaml',
      'patches:',
      '- path: router-patch.yaml',
      '  target: {kind: VirtualRouter}',
      '#- path: other-patch.yaml',
      "- patch: '[]'",
    ].join('\n');
    assert.deepEqual(entries(text), [
      ['../base', true, 1, 'bases'],
      ['../components/tracing', false, 3, 'components'],
      ['patch.yaml', true, 5, 'patchesStrategicMerge'],
      ['router-patch.yaml', true, 7, 'patches'],
      ['other-patch.yaml', false, 9, 'patches'],
    ]);
  });

  test('CRLF line ends and a missing final newline change nothing but the bytes', () => {
    assert.deepEqual(entries('resources:\r\n- a.yaml\r\n#- b.yaml'), [
      ['a.yaml', true, 1, 'resources'],
      ['b.yaml', false, 2, 'resources'],
    ]);
  });

  test('namespace, prefix and suffix are read literally, placeholders included', () => {
    const k = parseKustomization('/k/kustomization.yaml', parseYaml('namespace: ${example_namespace}\nnamePrefix: p-\nresources: []\n'));
    assert.equal(k.namespace, '${example_namespace}');
    assert.equal(k.namePrefix, 'p-');
    assert.equal(k.nameSuffix, '');
    assert.equal(k.onlyComments, false);
    assert.equal(parseKustomization('/k/kustomization.yaml', parseYaml('# resources:\n#- a.yaml\n\n')).onlyComments, true);
  });
});
