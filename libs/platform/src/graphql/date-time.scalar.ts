import { type CustomScalar, Scalar } from '@nestjs/graphql';
import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';

/** RFC 3339 date-time, with a time zone (Z or ±hh:mm), optional fractions of a second. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:[Zz]|[+-]\d{2}:\d{2})$/;

function parse(value: unknown): Date {
  if (typeof value !== 'string' || !RFC3339.test(value)) {
    throw new GraphQLError(
      `DateTime must be an RFC 3339 date-time with a time zone, such as 2019-12-03T09:54:33Z; got ${JSON.stringify(value)?.slice(0, 64)}`,
      { extensions: { code: 'BAD_USER_INPUT' } },
    );
  }
  const [year, month, day] = value.slice(0, 10).split('-').map(Number) as [number, number, number];
  const calendar = new Date(Date.UTC(year, month - 1, day));
  const date = new Date(value);
  if (Number.isNaN(date.getTime()) || calendar.getUTCMonth() !== month - 1 || calendar.getUTCDate() !== day) {
    throw new GraphQLError(`DateTime ${JSON.stringify(value)} is not a date that exists`, {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
  return date;
}

/**
 * The `DateTime` scalar of every subgraph (same name and description as Nest's ISO one, which it
 * replaces): a value that is not an RFC 3339 date-time, or names no real date, is refused while
 * the request's variables and literals are read, with a message saying what is expected, instead
 * of becoming an invalid Date that fails later with a confusing one.
 */
export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description:
    'A date-time string at UTC, such as 2019-12-03T09:54:33Z, compliant with the date-time format.',
  parseValue: parse,
  parseLiteral(ast) {
    return parse(ast.kind === Kind.STRING ? ast.value : undefined);
  },
  serialize(value) {
    if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString();
    if (typeof value === 'string') return parse(value).toISOString();
    throw new GraphQLError('DateTime cannot represent this value');
  },
});

/**
 * {@link DateTimeScalar} as Nest's code-first schema takes it: a provider of every subgraph's
 * module that maps `Date` fields and arguments to it (Nest's federation driver ignores
 * `buildSchemaOptions.scalarsMap`; it reads scalar providers).
 */
@Scalar('DateTime', () => Date)
export class DateTimeScalarProvider implements CustomScalar<string, Date> {
  description = DateTimeScalar.description!;
  parseValue(value: unknown): Date {
    return DateTimeScalar.parseValue(value);
  }
  parseLiteral(ast: ValueNode): Date {
    return DateTimeScalar.parseLiteral(ast);
  }
  serialize(value: unknown): string {
    return DateTimeScalar.serialize(value);
  }
}
