// The console's Content-Security-Policy: scripts, fonts, images and API calls only from
// Kiln itself, nothing framed, no plugins. Styles allow inline: Ant Design writes its
// styles into <style> elements and style attributes at run time, some of them (popups,
// motion) without a way to carry a nonce. Scripts stay strict, which is what stops an
// injected script.
export const CONTENT_SECURITY_POLICY = [
  `default-src 'none'`,
  `script-src 'self'`,
  `style-src 'self' 'unsafe-inline'`,
  `img-src 'self' data:`,
  `font-src 'self'`,
  `connect-src 'self'`,
  `manifest-src 'self'`,
  `base-uri 'none'`,
  `form-action 'self'`,
  `frame-ancestors 'none'`,
].join('; ');
