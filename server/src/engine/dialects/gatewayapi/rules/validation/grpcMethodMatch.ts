import { FileRule, Finding } from '../../../../rules/rule';
import { findingAt, mapsAt, present, routesOf, textOf } from './fields';

/** A fully qualified protobuf service name, and a method name, as the GRPCRoute CRD's CEL rules accept them for Exact matches (v1.6.1). */
const SERVICE_NAME = /^\.?[a-z_][a-z_0-9]*(\.[a-z_][a-z_0-9]*)*$/i;
const METHOD_NAME = /^[A-Za-z_][A-Za-z_0-9]*$/;

export const grpcMethodMatch: FileRule = {
  code: 'grpc-method-match',
  scope: 'file',
  defaultSeverity: 'error',
  summary: 'A GRPCRoute method match names neither a service nor a method, or an Exact one names them with characters protobuf names cannot have.',
  check(file) {
    const findings: Finding[] = [];
    for (const { object, spec } of routesOf(file.objects, ['GRPCRoute'])) {
      for (const rule of mapsAt(spec, ['rules'])) {
        for (const match of mapsAt(rule.node, ['matches'])) {
          const methodPair = present(match.node, 'method');
          if (!methodPair) continue;
          const typePair = present(methodPair.value, 'type');
          // The CRD defaults the type to Exact.
          const type = typePair ? textOf(typePair.value) : 'Exact';
          const servicePair = present(methodPair.value, 'service');
          const namePair = present(methodPair.value, 'method');
          if (!servicePair && !namePair) {
            findings.push(
              findingAt(
                this.code,
                object,
                methodPair.key,
                'This method match names neither a service nor a method: set one or both (a match of every call leaves out `method`). The API server rejects the route.',
              ),
            );
            continue;
          }
          if (type !== 'Exact') continue;
          const service = textOf(servicePair?.value);
          if (service !== undefined && !SERVICE_NAME.test(service)) {
            findings.push(
              findingAt(
                this.code,
                object,
                servicePair?.value,
                `'${service}' is no protobuf service name (dot-separated identifiers such as helloworld.Greeter, with an optional leading dot): the API server rejects this Exact match. A pattern needs type RegularExpression.`,
              ),
            );
          }
          const method = textOf(namePair?.value);
          if (method !== undefined && !METHOD_NAME.test(method)) {
            findings.push(
              findingAt(
                this.code,
                object,
                namePair?.value,
                `'${method}' is no protobuf method name (letters, digits and '_', not starting with a digit, such as SayHello): the API server rejects this Exact match. A pattern needs type RegularExpression.`,
              ),
            );
          }
        }
      }
    }
    return findings;
  },
};
