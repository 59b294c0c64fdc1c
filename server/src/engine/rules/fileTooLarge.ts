import { FileRule } from './rule';

export const fileTooLarge: FileRule<{ bytes: number; limit: number }> = {
  code: 'file-too-large',
  scope: 'file',
  defaultSeverity: 'warning',
  summary: 'A file is larger than the size limit (meshKustomize.maxFileSize), so it is not read or validated.',
  check(file) {
    if (!file.oversize) return [];
    const { bytes, limit } = file.oversize;
    return [
      {
        code: this.code,
        path: file.path,
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        message: `This file is ${megabytes(bytes)}, over the ${megabytes(limit)} limit (meshKustomize.maxFileSize): it is not validated, and the objects it defines are unknown to the other checks.`,
        data: { bytes, limit },
      },
    ];
  },
};

function megabytes(bytes: number): string {
  const value = bytes / (1024 * 1024);
  return `${value >= 10 ? Math.round(value) : Number(value.toFixed(value < 0.1 ? 3 : 1))} MB`;
}
