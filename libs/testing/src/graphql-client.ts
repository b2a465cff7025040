import request from 'supertest';

export interface GraphQLResult<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
}

/** Posts one GraphQL operation to `baseUrl/graphql` with supertest. */
export async function gql<T = Record<string, unknown>>(
  baseUrl: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
  headers: Record<string, string> = {},
): Promise<GraphQLResult<T>> {
  let call = request(baseUrl).post('/graphql').set('content-type', 'application/json');
  if (token) call = call.set('authorization', `Bearer ${token}`);
  for (const [name, value] of Object.entries(headers)) call = call.set(name, value);
  const response = await call.send({ query, variables });
  return { status: response.status, data: response.body?.data, errors: response.body?.errors };
}

export const STRONG_PASSWORD = 'Correct-Horse-Battery-42';

/** Signs up a new tenant through the gateway; returns its owner's token and ids. */
export async function signUpTenant(
  baseUrl: string,
  name = `Tenant ${Math.random().toString(36).slice(2, 8)}`,
) {
  const email = `owner@${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.example`;
  const result = await gql<{
    signUp: { token: string; tenant: { id: string; slug: string }; user: { id: string } };
  }>(
    baseUrl,
    `mutation SignUp($input: SignUpInput!) { signUp(input: $input) { token tenant { id slug } user { id } } }`,
    { input: { tenantName: name, email, password: STRONG_PASSWORD } },
  );
  if (!result.data?.signUp) throw new Error(`sign-up failed: ${JSON.stringify(result.errors)}`);
  const { token, tenant, user } = result.data.signUp;
  return { token, tenantId: tenant.id, slug: tenant.slug, userId: user.id, email };
}
