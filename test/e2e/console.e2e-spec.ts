// The web console in a real browser (Debian's Chromium) against a real Kiln on the
// embedded default: what a user does in it, start to end, and the accessibility of
// every page they see on the way.
import { resolve } from 'node:path';
import type { BrowserContext, Page, Request } from 'playwright-core';
import type { KilnClient } from '@kiln/client';
import { launchChromium, screenshot, seriousA11yViolations } from '../support/browser';
import { clientAs } from '../support/kiln-clients';
import { KilnProcess } from '../support/kiln-process';
import { TcpProxy } from '../support/tcp-proxy';

const PASSWORD = 'a long enough password';
const EXAMPLES = resolve(__dirname, '..', '..', 'examples');
const TASK_LIST_API = /\/api\/v1\/tasks(\?|$)/;

jest.setTimeout(90_000);

describe('the web console in a browser', () => {
  let kiln: KilnProcess;
  /** The browser reaches Kiln through it, so a test can cut the connection. */
  let network: TcpProxy;
  let url: string;
  let api: KilnClient;
  let browser: BrowserContext;
  let page: Page;
  const consoleErrors: string[] = [];

  const expectAccessible = async () => expect(await seriousA11yViolations(page)).toEqual([]);

  const signIn = async (target: Page, username: string, password: string) => {
    await target.goto(`${url}/`);
    await target.getByLabel('Username').fill(username);
    await target.getByLabel('Password').fill(password);
    await target.getByRole('button', { name: 'Sign in' }).click();
    await target.getByRole('heading', { name: 'Tasks' }).waitFor();
  };

  const rowOf = (taskId: string) => page.locator(`tr[data-row-key="${taskId}"]`);

  beforeAll(async () => {
    kiln = await KilnProcess.start({ env: { KILN_ADMIN_PASSWORD: PASSWORD } });
    network = await TcpProxy.start(kiln.port);
    url = network.url;
    api = clientAs(kiln.url);
    await api.login('admin', PASSWORD);
    browser = await launchChromium();
    page = browser.pages()[0] ?? (await browser.newPage());
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await network?.stop();
    await kiln?.stop();
  });

  it('signs in, keeping the access token out of localStorage', async () => {
    await page.goto(`${url}/tasks`);
    await page.getByRole('heading', { name: 'Sign in to Kiln' }).waitFor();
    await expectAccessible();
    await screenshot(page, 'sign-in');
    await signIn(page, 'admin', PASSWORD);
    const stored = await page.evaluate<string>('JSON.stringify({ ...localStorage })');
    expect(stored).not.toMatch(/eyJ/); // no JWT
    await expectAccessible();
  });

  it('submits the example training task from the form and watches it succeed without reloading the list', async () => {
    await page.getByRole('link', { name: 'Submit' }).first().click();
    await page.getByRole('heading', { name: 'Submit a task' }).waitFor();
    await expectAccessible();
    await page.getByRole('textbox', { name: 'Name' }).fill('logistic regression');
    await page
      .getByRole('textbox', { name: 'Command' })
      .fill(`python3\n${EXAMPLES}/logistic_regression.py`);
    await page
      .getByRole('textbox', { name: 'Hyperparameters' })
      .fill('epochs: 12\nlearning_rate: 0.5');
    await screenshot(page, 'submit');
    await page.getByRole('button', { name: 'Submit', exact: true }).click();
    await page.waitForURL(/\/tasks\/[0-9a-f-]{36}$/);
    const taskId = page.url().split('/').pop()!;

    const listRequests: Request[] = [];
    page.on('request', (request) => {
      if (TASK_LIST_API.test(request.url())) listRequests.push(request);
    });
    await page.goto(`${url}/tasks`);
    await rowOf(taskId).waitFor();
    await rowOf(taskId).locator('[data-status="succeeded"]').waitFor({ timeout: 60_000 });
    expect(listRequests).toHaveLength(1);
    await expectAccessible();
    await screenshot(page, 'tasks');
  }, 90_000);

  it('shows the finished task’s metric curves', async () => {
    const [task] = (await api.api.GET('/api/v1/tasks', { params: { query: { limit: 1 } } })).data!
      .items;
    await page.goto(`${url}/tasks/${task.id}`);
    await page.getByRole('tab', { name: 'Metrics' }).click();
    const loss = page.getByTestId('chart-loss');
    await loss.locator('canvas').waitFor();
    expect(Number(await loss.getAttribute('data-points'))).toBeGreaterThanOrEqual(12);
    await expectAccessible();
    await screenshot(page, 'task-metrics');
  });

  it('follows a running task’s log and cancels it', async () => {
    const sleeper = (
      await api.api.POST('/api/v1/tasks', {
        body: { name: 'sleeper', command: ['python3', `${EXAMPLES}/sleep.py`, '120'] },
      })
    ).data!;
    await page.goto(`${url}/tasks/${sleeper.id}`);
    await page.getByRole('tab', { name: 'Log' }).click();
    await page.getByTestId('log').getByText(/\S/).first().waitFor({ timeout: 30_000 });
    await expectAccessible();
    await screenshot(page, 'task-log');
    await page.getByRole('button', { name: 'Cancel', exact: true }).click();
    await page.getByRole('button', { name: 'Cancel task' }).click();
    await page
      .getByTestId('log-ended')
      .filter({ hasText: 'cancelled' })
      .waitFor({ timeout: 30_000 });
  }, 60_000);

  it('compares two tasks: hyperparameters side by side with the differences marked', async () => {
    const items = (await api.api.GET('/api/v1/tasks', { params: { query: { limit: 2 } } })).data!
      .items;
    await page.goto(`${url}/compare?ids=${items.map((task) => task.id).join(',')}`);
    const table = page.getByTestId('hyperparameter-diff');
    await table.getByText('epochs').waitFor();
    await expect(table.getByText('differs').count()).resolves.toBeGreaterThan(0);
    await expectAccessible();
    await screenshot(page, 'compare');
  });

  it('lets an admin create a user who then signs in and sees no admin pages', async () => {
    await page.goto(`${url}/admin/users`);
    await page.getByRole('button', { name: 'Create user' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Username').fill('morgan');
    await dialog.getByLabel('Initial password').fill('a passphrase of her own');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await page
      .getByText('Created morgan')
      .waitFor()
      .catch(async (error: Error) => {
        throw new Error(`${error.message}\nThe page said: ${await page.innerText('body')}`);
      });
    await page.getByRole('cell', { name: 'morgan', exact: true }).first().waitFor();
    // axe would read the closing dialog's fading labels as low contrast
    await dialog.waitFor({ state: 'hidden' });
    await expectAccessible();
    await screenshot(page, 'admin-users');

    const member = await browser.newPage();
    try {
      await signIn(member, 'morgan', 'a passphrase of her own');
      await expect(member.getByRole('link', { name: 'Users' }).count()).resolves.toBe(0);
      await member.goto(`${url}/admin/users`);
      await member.getByText('This page is for administrators').waitFor();
    } finally {
      await member.close();
    }
  });

  it('shows a banner while the event stream is down and catches up once it is back', async () => {
    const waiting = (
      await api.api.POST('/api/v1/tasks', {
        body: { name: 'waits for a restart', command: ['python3', `${EXAMPLES}/sleep.py`, '300'] },
      })
    ).data!;
    await page.goto(`${url}/tasks`);
    await rowOf(waiting.id).waitFor();
    network.cut();
    await page.getByTestId('stream-down').waitFor({ timeout: 15_000 });
    // Missed while the stream is down: the resumed stream must still deliver it.
    await api.api.POST('/api/v1/tasks/{id}/cancel', { params: { path: { id: waiting.id } } });
    network.restore();
    await page.getByTestId('stream-down').waitFor({ state: 'detached', timeout: 30_000 });
    await rowOf(waiting.id).locator('[data-status="cancelled"]').waitFor({ timeout: 15_000 });
  }, 90_000);

  it('renders a 50-row task list within a second of navigating to it', async () => {
    // Fifty tasks that wait on a running one, so none of them runs while the list is timed.
    const blocker = (
      await api.api.POST('/api/v1/tasks', {
        body: { name: 'blocker', command: ['python3', `${EXAMPLES}/sleep.py`, '300'] },
      })
    ).data!;
    for (let index = 0; index < 50; index++)
      await api.api.POST('/api/v1/tasks', {
        body: { name: `row ${index}`, command: ['true'], dependsOn: [blocker.id] },
      });
    // Milliseconds from the start of the navigation to the 50th row, read in the page (a
    // little over, by the round trip of asking). The machine is shared, so the best of
    // three loads is what the app itself takes.
    const timings: number[] = [];
    for (let load = 0; load < 3; load++) {
      await page.goto(`${url}/tasks?limit=50`);
      await page.locator('tr[data-row-key]').nth(49).waitFor({ timeout: 5000 });
      timings.push(await page.evaluate<number>('performance.now()'));
    }
    console.log(`first render of 50 task rows: ${timings.map(Math.round).join(', ')} ms`);
    expect(Math.min(...timings)).toBeLessThan(1000);
  }, 60_000);

  it('breaks no Content-Security-Policy rule and logs no error on the way', () => {
    expect(consoleErrors.filter((text) => !text.includes('Failed to load resource'))).toEqual([]);
  });
});
