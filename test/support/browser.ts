// A real browser for the console's tests: Debian's Chromium (installed by .ci/run with
// apt-get; nothing is downloaded) driven by playwright-core, with a throwaway profile.
import AxeBuilder from '@axe-core/playwright';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { tempDataDir } from './test-config';

export const CHROMIUM = '/usr/bin/chromium';

export async function launchChromium(): Promise<BrowserContext> {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does)`);
  const context = await chromium.launchPersistentContext(tempDataDir('kiln-chromium-'), {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1280, height: 800 },
    acceptDownloads: true,
  });
  await context.addInitScript({ content: RECORD_CSP_VIOLATIONS });
  return context;
}

/** Violations an assistive-technology user would hit hardest (axe's serious and critical). */
export async function seriousA11yViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.id} (${violation.impact}): ${violation.help} at ${violation.nodes
          .slice(0, 3)
          .map((node) => node.target.join(' '))
          .join(', ')}`,
    );
}

const SCREENSHOTS = resolve(__dirname, '..', '..', 'docs', 'screenshots');

/**
 * Saves the page for the README when KILN_UPDATE_SCREENSHOTS=1 (so ordinary runs leave
 * the committed pictures alone).
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (process.env.KILN_UPDATE_SCREENSHOTS !== '1') return;
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

/**
 * What the page's Content-Security-Policy refused since it loaded, as the browser reported
 * it (`securitypolicyviolation` events, recorded by the script launchChromium adds to
 * every page).
 */
export async function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate<string[]>('window.__cspViolations ?? ["the recorder did not run"]');
}

/** Runs in every page before its own scripts: keeps each CSP violation the page reports. */
export const RECORD_CSP_VIOLATIONS = `
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (event) => {
    window.__cspViolations.push(
      event.effectiveDirective + ' refused ' + (event.blockedURI || 'inline') + ': ' + event.sample,
    );
  });
`;
