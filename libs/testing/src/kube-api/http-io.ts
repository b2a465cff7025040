import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { badRequest, KubeApiError } from './kube-api.errors.js';

/** The API server's default request body limit (3 MiB). */
const MAX_BODY_BYTES = 3 * 1024 * 1024;

const YAML_MEDIA_TYPES = new Set(['application/apply-patch+yaml', 'application/yaml']);

/** `application/json; charset=utf-8` → `application/json`. */
export function mediaTypeOf(request: IncomingMessage): string {
  return (request.headers['content-type'] ?? 'application/json').split(';')[0]!.trim().toLowerCase();
}

export async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES)
      throw new KubeApiError('RequestEntityTooLarge', 'Request entity too large: limit is 3145728');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Decodes a request body: YAML for apply patches and `application/yaml`, JSON otherwise. */
export function decodeBody(text: string, mediaType: string): unknown {
  try {
    return YAML_MEDIA_TYPES.has(mediaType) ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw badRequest(`error decoding ${mediaType} body: ${(error as Error).message}`);
  }
}

export function sendJson(response: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(code, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-cache, private',
  });
  response.end(text);
}

export function sendText(response: ServerResponse, code: number, text: string): void {
  response.writeHead(code, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  response.end(text);
}
