// The console's Content-Security-Policy: scripts, fonts, images and API calls only from
// Kiln itself, nothing framed, no plugins. Styles come from Kiln's files or from <style>
// elements that carry the page's nonce: Ant Design writes its styles at run time and
// stamps each with the nonce the page hands it, so an injected <style> or style
// attribute in markup is refused like an injected script.
import { randomBytes } from 'node:crypto';

/** What the built index.html carries where each response's nonce goes (web/vite.config.ts). */
export const NONCE_PLACEHOLDER = 'KILN_CSP_NONCE';

/** A fresh nonce for one page: 128 random bits, as CSP asks for at least. */
export function newNonce(): string {
  return randomBytes(16).toString('base64');
}

/**
 * The policy of a page whose <style> elements carry `nonce`, or, without one, of a file
 * that is not a page (its styles come only from Kiln's files).
 */
export function contentSecurityPolicy(nonce?: string): string {
  return [
    `default-src 'none'`,
    `script-src 'self'`,
    nonce ? `style-src 'self' 'nonce-${nonce}'` : `style-src 'self'`,
    `img-src 'self' data:`,
    `font-src 'self'`,
    `connect-src 'self'`,
    `manifest-src 'self'`,
    `base-uri 'none'`,
    `form-action 'self'`,
    `frame-ancestors 'none'`,
  ].join('; ');
}
