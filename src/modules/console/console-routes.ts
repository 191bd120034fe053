// Which requests the console answers. It owns every GET that no other route took, except
// under the prefixes of the API, the docs, the probes and the scrape: a mistyped API path
// must still get the API's problem+json 404, not the app's HTML.
const RESERVED_PREFIXES = ['/api', '/docs', '/health', '/metrics'];

/** Whether a path that matched no file is a page of the app (so index.html answers it). */
export function isConsolePage(url: string): boolean {
  const path = url.split(/[?#]/, 1)[0];
  if (RESERVED_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`)))
    return false;
  // A missing file (a stale hashed asset, /favicon.ico) is a 404, not the app.
  const lastSegment = path.slice(path.lastIndexOf('/') + 1);
  return !lastSegment.includes('.');
}
