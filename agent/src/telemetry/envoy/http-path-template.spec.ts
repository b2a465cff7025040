import { MAX_HTTP_PATH_LENGTH, MAX_HTTP_PATH_SEGMENTS } from '@meshplane/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { templatePath } from './http-path-template.js';

describe('templatePath (privacy by default)', () => {
  it.each([
    ['/orders/12345', '/orders/{id}'],
    ['/orders/12345/items?page=2', '/orders/{id}/items'],
    ['/api/v1/users/3f2b8c1e-9d4a-4c5e-8f6b-1a2b3c4d5e6f/profile', '/api/v1/users/{id}/profile'],
    ['/blobs/deadbeef00', '/blobs/{id}'],
    ['/reset/eyJhbGciOiJIUzI1NiJ9abc123', '/reset/{id}'],
    ['/users/alice@example.com', '/users/{id}'],
    ['/download;jsessionid=ABC123/file', '/download/file'],
    ['http://api.shop.svc/cart/7#frag', '/cart/{id}'],
    ['//a///b/', '/a/b'],
    ['?token=abc', '/'],
    ['', '/'],
    ['/healthz', '/healthz'],
    ['/v2/catalog/shoes', '/v2/catalog/shoes'],
  ])('%s → %s', (raw, expected) => {
    expect(templatePath(raw)).toBe(expected);
  });

  it('never keeps a query string, a fragment or more than the caps, whatever the input', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 2_000 }),
        fc.string({ minLength: 1, maxLength: 40 }),
        (path, secret) => {
          const templated = templatePath(`${path}?token=${secret}`);
          expect(templated.startsWith('/')).toBe(true);
          expect(templated).not.toMatch(/[?#]/);
          expect(templated.length).toBeLessThanOrEqual(MAX_HTTP_PATH_LENGTH);
          expect(templated.split('/').length - 1).toBeLessThanOrEqual(MAX_HTTP_PATH_SEGMENTS + 1);
        },
      ),
    );
  });
});
