// The console's Content-Security-Policy: scripts, styles, fonts and images only from
// Kiln itself, API calls only to Kiln itself, never framed. Ant Design writes its styles
// into <style> elements at run time, so style-src admits those carrying the response's
// nonce (handed to the app in index.html) rather than any inline style.
import { randomBytes } from 'node:crypto';

export function newNonce(): string {
  return randomBytes(16).toString('base64');
}

export function contentSecurityPolicy(styleNonce?: string): string {
  const styles = styleNonce ? `'self' 'nonce-${styleNonce}'` : `'self'`;
  return [
    `default-src 'none'`,
    `script-src 'self'`,
    `style-src ${styles}`,
    `img-src 'self' data:`,
    `font-src 'self'`,
    `connect-src 'self'`,
    `manifest-src 'self'`,
    `base-uri 'none'`,
    `form-action 'self'`,
    `frame-ancestors 'none'`,
  ].join('; ');
}
