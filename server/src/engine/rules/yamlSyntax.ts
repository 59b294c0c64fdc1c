import { FileRule } from './rule';

export const yamlSyntax: FileRule = {
  code: 'yaml-syntax',
  scope: 'file',
  defaultSeverity: 'error',
  summary: 'The file is not valid YAML.',
  check(file) {
    return file.parsed.syntaxErrors.map((error) => ({
      code: this.code,
      path: file.path,
      range: error.range,
      message: error.message,
    }));
  },
};
