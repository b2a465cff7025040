import type { Response } from 'express';

/**
 * The console's Content-Security-Policy: everything from this origin only, no inline script or
 * style, no plugins, not framable; `connect-src 'self'` is the same-origin `/graphql`.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Security headers on every answer of the gateway (API answers too: they cost nothing there). */
export function setSecurityHeaders(res: Response) {
  res.setHeader('content-security-policy', CONTENT_SECURITY_POLICY);
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('x-frame-options', 'DENY');
  res.setHeader('referrer-policy', 'no-referrer');
  res.setHeader('cross-origin-opener-policy', 'same-origin');
  res.setHeader('cross-origin-resource-policy', 'same-origin');
  res.setHeader('permissions-policy', 'camera=(), microphone=(), geolocation=(), payment=(), usb=()');
  // Browsers ignore HSTS over plain HTTP (the loopback development case), so it is safe to send always.
  res.setHeader('strict-transport-security', 'max-age=31536000; includeSubDomains');
}
