import { dialects } from '../dialects';
import { deprecatedField } from './deprecatedField';
import { duplicateObject } from './duplicateObject';
import { emptyKustomization } from './emptyKustomization';
import { entryOutsideWorkspace } from './entryOutsideWorkspace';
import { fieldNotInApi } from './fieldNotInApi';
import { fileTooLarge } from './fileTooLarge';
import { idleTargetNotRunning } from './idleTargetNotRunning';
import { kustomizationCycle } from './kustomizationCycle';
import { loadRestrictor } from './loadRestrictor';
import { missingResource } from './missingResource';
import { multipleKustomizationFiles } from './multipleKustomizationFiles';
import { remoteResource } from './remoteResource';
import { routerTargetNotRunning } from './routerTargetNotRunning';
import { routersDisagreeOnStage } from './routersDisagreeOnStage';
import { routerTargetUnknown } from './routerTargetUnknown';
import { Rule } from './rule';
import { schema } from './schema';
import { soleTargetWeightZero } from './soleTargetWeightZero';
import { tooManyTargets } from './tooManyTargets';
import { unknownKind } from './unknownKind';
import { versionWithoutTraffic } from './versionWithoutTraffic';
import { virtualServiceProviderNotRunning } from './virtualServiceProviderNotRunning';
import { virtualServiceProviderUnknown } from './virtualServiceProviderUnknown';
import { weightOutOfRange } from './weightOutOfRange';
import { weightsAllZero } from './weightsAllZero';
import { weightTotalNot100 } from './weightTotalNot100';
import { weightTotalOver100 } from './weightTotalOver100';
import { yamlOutsideSpec } from './yamlOutsideSpec';
import { yamlSyntax } from './yamlSyntax';

export const allRules: readonly Rule[] = [
  yamlSyntax,
  yamlOutsideSpec,
  fileTooLarge,
  schema,
  fieldNotInApi,
  unknownKind,
  emptyKustomization,
  multipleKustomizationFiles,
  deprecatedField,
  missingResource,
  kustomizationCycle,
  remoteResource,
  loadRestrictor,
  entryOutsideWorkspace,
  duplicateObject,
  routerTargetNotRunning,
  routerTargetUnknown,
  idleTargetNotRunning,
  virtualServiceProviderNotRunning,
  virtualServiceProviderUnknown,
  versionWithoutTraffic,
  routersDisagreeOnStage,
  weightTotalOver100,
  weightTotalNot100,
  weightsAllZero,
  soleTargetWeightZero,
  tooManyTargets,
  weightOutOfRange,
  // Rules of one API only (its webhook's own checks), after the generic ones.
  ...dialects.flatMap((dialect) => dialect.rules),
];
