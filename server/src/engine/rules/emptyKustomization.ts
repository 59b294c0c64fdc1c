import { FileRule } from './rule';

export const emptyKustomization: FileRule = {
  code: 'empty-kustomization',
  scope: 'file',
  defaultSeverity: 'error',
  summary: 'A kustomization holds only comments, which kustomize refuses to build.',
  check(file) {
    if (!file.kustomization?.onlyComments) return [];
    return [
      {
        code: this.code,
        path: file.path,
        range: file.parsed.lines.lineRange(0),
        message: 'This kustomization has only comments and blank lines: kustomize fails with "kustomization.yaml is empty".',
      },
    ];
  },
};
