import { ApiError, type GraphQLErrorBody, networkError, readJson } from './api-error';
import type { TypedDocumentString } from './generated';
import { csrfToken } from './session';

/**
 * Runs one generated operation against `/graphql` with the session cookie and the CSRF token.
 * Any GraphQL error rejects with an ApiError carrying the server's message.
 */
export async function request<TResult, TVariables>(
  document: TypedDocumentString<TResult, TVariables>,
  ...[variables]: TVariables extends Record<string, never> ? [] : [TVariables]
): Promise<TResult> {
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
  return json.data as TResult;
}
