import { MAX_HTTP_PATH_LENGTH, MAX_HTTP_PATH_SEGMENTS } from '@meshplane/protocol';

/** What replaces a path segment that looks like an identifier. */
export const ID_PLACEHOLDER = '{id}';

const DIGITS = /^\d+$/;
const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const HEX = /^[0-9a-f]{8,}$/i;
const HAS_DIGIT = /\d/;
const HAS_LETTER = /[A-Za-z]/;
/** Words of a path are short and plain; anything longer or with other characters may be a value. */
const LONG_SEGMENT = 32;
const TOKEN_SEGMENT = 16;

/**
 * Whether a path segment looks like a value rather than a route word: digits, a UUID, hex of
 * eight or more characters, a mix of letters and digits of 16 or more (tokens, base64, ULIDs),
 * anything of 32 or more characters, and anything with `@`, `=`, `%`, `+`, `~` or `:` in it
 * (e-mail addresses, encoded values). Erring towards `{id}` only costs detail, not privacy.
 */
export function isIdLike(segment: string): boolean {
  if (DIGITS.test(segment) || UUID.test(segment)) return true;
  if (HEX.test(segment) && HAS_DIGIT.test(segment)) return true;
  if (segment.length >= LONG_SEGMENT) return true;
  if (segment.length >= TOKEN_SEGMENT && HAS_DIGIT.test(segment) && HAS_LETTER.test(segment)) return true;
  return /[@=%+~:]/.test(segment);
}

/**
 * The request path as an L7 record keeps it (privacy by default): the query string and
 * fragment cut off, `;` path parameters dropped, an absolute-form target (`http://host/p`)
 * reduced to its path, empty segments removed, id-like segments (`isIdLike`) replaced by
 * `{id}`, at most `MAX_HTTP_PATH_SEGMENTS` segments (more end in `/…`) and at most
 * `MAX_HTTP_PATH_LENGTH` characters. Always starts with `/` and never contains `?` or `#`.
 */
export function templatePath(raw: string): string {
  let path = raw;
  const end = path.search(/[?#]/);
  if (end >= 0) path = path.slice(0, end);
  const absolute = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/]*/.exec(path);
  if (absolute !== null) path = path.slice(absolute[0].length);
  const segments: string[] = [];
  let truncated = false;
  for (const part of path.split('/')) {
    const segment = part.split(';', 1)[0]!;
    if (segment === '') continue;
    if (segments.length === MAX_HTTP_PATH_SEGMENTS) {
      truncated = true;
      break;
    }
    segments.push(isIdLike(segment) ? ID_PLACEHOLDER : segment);
  }
  let templated = `/${segments.join('/')}${truncated ? '/…' : ''}`;
  if (templated.length > MAX_HTTP_PATH_LENGTH) templated = `${templated.slice(0, MAX_HTTP_PATH_LENGTH - 1)}…`;
  return templated;
}
