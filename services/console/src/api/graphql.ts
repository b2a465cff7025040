import { ApiError, type GraphQLErrorBody, networkError, readJson } from './api-error';
import type { TypedDocumentString } from './generated';
import { csrfToken } from './session';

/**
 * An operation's answer once it succeeded. Every root field of the API is nullable (so that one
 * failing field leaves the others their data); a root field is null only beside an error, and an
 * error rejects, so on success each holds its answer.
 */
export type Answered<T> = { [K in keyof T]: NonNullable<T[K]> };

/**
 * Runs one generated operation against `/graphql` with the session cookie and the CSRF token.
 * Any GraphQL error rejects with an ApiError carrying the server's message.
 */
export async function request<TResult, TVariables>(
  document: TypedDocumentString<TResult, TVariables>,
  ...[variables]: TVariables extends Record<string, never> ? [] : [TVariables]
): Promise<Answered<TResult>> {
  const token = csrfToken();
  let response: Response;
  try {
    response = await fetch('/graphql', {
      method: 'POST',
      credentials: 'same-origin',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        ...(token ? { 'x-csrf-token': token } : {}),
      },
      body: JSON.stringify({ query: document.toString(), variables: variables ?? {} }),
    });
  } catch (error) {
    throw networkError(error);
  }
  const json = await readJson(response);
  const errors = json.errors as GraphQLErrorBody[] | undefined;
  if (errors?.length) throw ApiError.fromErrors(errors, response.status);
  if (!response.ok || !json.data)
    throw new ApiError(`request failed (HTTP ${response.status})`, response.status);
  const data = json.data as Record<string, unknown>;
  const missing = Object.keys(data).find((field) => data[field] === null);
  if (missing !== undefined) throw new ApiError(`the server gave no answer for ${missing}`, response.status);
  return data as Answered<TResult>;
}
