// Base URLs of the Kiln servers a test file has started, so the contract check looks
// only at Kiln's answers (not at fake Kubernetes APIs or other test servers).
const origins = new Set<string>();

export function registerKilnServer(baseUrl: string): void {
  origins.add(new URL(baseUrl).origin);
}

export function isKilnServer(url: URL): boolean {
  return origins.has(url.origin);
}
