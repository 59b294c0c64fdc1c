import { FileRule } from './rule';

/** Fields kustomize still reads but has replaced, with their replacement. */
export const DEPRECATED_FIELDS: Readonly<Record<string, string>> = {
  bases: 'resources',
  patchesStrategicMerge: 'patches',
  patchesJson6902: 'patches',
  vars: 'replacements',
  commonLabels: 'labels',
  imageTags: 'images',
};

export const deprecatedField: FileRule = {
  code: 'deprecated-field',
  scope: 'file',
  defaultSeverity: 'warning',
  summary: 'A kustomization uses a field that kustomize has deprecated.',
  check(file) {
    const keys = file.kustomization?.keys;
    if (!keys) return [];
    return [...keys].flatMap(([key, range]) => {
      const replacement = DEPRECATED_FIELDS[key];
      return replacement
        ? [{ code: this.code, path: file.path, range, message: `\`${key}\` is deprecated: use \`${replacement}\`.`, data: { field: key, replacement } }]
        : [];
    });
  },
};
