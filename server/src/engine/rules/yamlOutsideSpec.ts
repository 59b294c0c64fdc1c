import { FileRule } from './rule';

export const yamlOutsideSpec: FileRule = {
  code: 'yaml-outside-spec',
  scope: 'file',
  defaultSeverity: 'information',
  summary: 'Text that kustomize and kubectl read although YAML 1.2 does not allow it, so other YAML tools may refuse it.',
  check(file) {
    return file.parsed.outsideSpec.map((problem) => ({ code: this.code, path: file.path, range: problem.range, message: problem.message }));
  },
};
