import { type CustomScalar, Scalar } from '@nestjs/graphql';
import type { ValueNode } from 'graphql';

/** Converts a literal in a query document to the JSON value it spells. */
function literalValue(node: ValueNode, variables?: Record<string, unknown> | null): unknown {
  switch (node.kind) {
    case 'StringValue':
    case 'BooleanValue':
    case 'EnumValue':
      return node.value;
    case 'IntValue':
    case 'FloatValue':
      return Number(node.value);
    case 'NullValue':
      return null;
    case 'ListValue':
      return node.values.map((value) => literalValue(value, variables));
    case 'ObjectValue':
      return Object.fromEntries(
        node.fields.map((field) => [field.name.value, literalValue(field.value, variables)]),
      );
    case 'Variable':
      return variables?.[node.name.value];
  }
}

/** The TypeScript side of the `JSON` scalar (fields typed with it hold any JSON value). */
export class JsonValue {}

/**
 * Any JSON value. Used where a subgraph carries a document as is: in telemetry, a policy in the
 * `CreatePolicyInput` shape of the policies API (what `recommendPolicy` returns and `whatIf`
 * takes); in policies, Calico objects of a change set or of a cluster's bundle. A subgraph that
 * uses it lists `JsonScalar` among its providers.
 */
@Scalar('JSON', () => JsonValue)
export class JsonScalar implements CustomScalar<unknown, unknown> {
  description = 'Any JSON value (object, array, string, number, boolean or null).';

  parseValue(value: unknown): unknown {
    return value;
  }

  serialize(value: unknown): unknown {
    return value;
  }

  parseLiteral(node: ValueNode, variables?: Record<string, unknown> | null): unknown {
    return literalValue(node, variables);
  }
}
