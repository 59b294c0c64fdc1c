import * as path from 'node:path';
import { isKustomizationFileName } from '../kustomization';
import { FileRule } from './rule';

export const multipleKustomizationFiles: FileRule = {
  code: 'multiple-kustomization-files',
  scope: 'file',
  defaultSeverity: 'error',
  summary: 'A directory holds more than one kustomization file, which kustomize refuses.',
  check(file, workspace) {
    if (!file.isKustomization) return [];
    const dir = path.dirname(file.path);
    const names = workspace
      .listDirectory(dir)
      .filter((entry) => entry.kind === 'file' && isKustomizationFileName(entry.name))
      .map((entry) => entry.name);
    if (names.length < 2) return [];
    return [
      {
        code: this.code,
        path: file.path,
        range: file.parsed.lines.lineRange(0),
        message: `This directory has ${names.length} kustomization files (${names.join(', ')}); kustomize accepts only one.`,
      },
    ];
  },
};
