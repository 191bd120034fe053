// The web console in a real browser (Debian's Chromium) against a real Kiln on the
// embedded default: what a user does in it, start to end, and the accessibility of
// every page they see on the way.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { BrowserContext, Page, Request } from 'playwright-core';
import type { components, KilnClient } from '@kiln/client';
import { waitUntil } from '../../src/common/wait-until';
import {
  cspViolations,
  launchChromium,
  screenshot,
  seriousA11yViolations,
} from '../support/browser';
import { clientAs } from '../support/kiln-clients';
import { KilnProcess } from '../support/kiln-process';
import { TcpProxy } from '../support/tcp-proxy';

const PASSWORD = 'a long enough password';
const EXAMPLES = resolve(__dirname, '..', '..', 'examples');
const TASK_LIST_API = /\/api\/v1\/tasks(\?|$)/;
/** The console's primary colour, which only Ant Design's run-time styles paint. */
const BRAND = 'rgb(194, 65, 12)';

type Service = components['schemas']['ServiceDetailResponse'];

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

  const expectAccessible = async (target: Page = page) => {
    // A hover colour under the pointer left where the last click was is not what a reader
    // sees, and axe reads a dialog's fading text as low contrast: move the pointer away
    // and let motion end (spinners and live progress bars loop for good). Read from here:
    // the page's policy forbids the eval that waitForFunction would need.
    await target.mouse.move(0, 0);
    const still = `document.getAnimations().every((motion) => motion.effect?.getComputedTiming().iterations === Infinity)`;
    await waitUntil(() => target.evaluate<boolean>(still), { timeoutMs: 5000, intervalMs: 50 });
    expect(await seriousA11yViolations(target)).toEqual([]);
  };

  /** Until no spinner says the page is still loading (polled from here, as above). */
  const loaded = async (target: Page) => {
    const spinning = `!!document.querySelector('.ant-spin-spinning')`;
    await waitUntil(async () => !(await target.evaluate<boolean>(spinning)), {
      timeoutMs: 15_000,
      intervalMs: 50,
    });
  };

  /** A page rendered with the strict policy: styled by Ant Design, nothing refused. */
  const expectStyledWithinPolicy = async (target: Page = page) => {
    await target.locator('.ant-btn-primary').first().waitFor();
    const paint = `getComputedStyle(document.querySelector('.ant-btn-primary')).backgroundColor`;
    await expect(target.evaluate<string>(paint)).resolves.toBe(BRAND);
    expect(await cspViolations(target)).toEqual([]);
  };

  /** The id of the newest task that matches, read over the API. */
  const newestTask = async (query: { status?: ['succeeded'] } = {}) =>
    (await api.api.GET('/api/v1/tasks', { params: { query: { limit: 1, ...query } } })).data!
      .items[0];

  const signIn = async (target: Page, username: string, password: string) => {
    await target.goto(`${url}/`);
    await target.getByLabel('Username').fill(username);
    await target.getByLabel('Password').fill(password);
    await target.getByRole('button', { name: 'Sign in' }).click();
    await target.getByRole('heading', { name: 'Tasks' }).waitFor();
  };

  const rowOf = (taskId: string) => page.locator(`tr[data-row-key="${taskId}"]`);

  const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

  const serviceReaches = async (check: (service: Service) => boolean) => {
    let service: Service | undefined;
    const { satisfied } = await waitUntil(
      async () => {
        service = (
          await api.api.GET('/api/v1/services/{name}', { params: { path: { name: 'lr' } } })
        ).data;
        return !!service && check(service);
      },
      { timeoutMs: 45_000, intervalMs: 250 },
    );
    if (!satisfied) throw new Error(`the service never got there: ${JSON.stringify(service)}`);
  };

  beforeAll(async () => {
    kiln = await KilnProcess.start({
      // the webhook edited below points at this machine
      env: { KILN_ADMIN_PASSWORD: PASSWORD, KILN_WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' },
    });
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
    const response = await page.goto(`${url}/tasks`);
    const policy = response!.headers()['content-security-policy'];
    expect(policy).toMatch(/style-src 'self' 'nonce-[^']+'(;|$)/);
    expect(policy).not.toContain('unsafe');
    await page.getByRole('heading', { name: 'Sign in to Kiln' }).waitFor();
    await expectStyledWithinPolicy();
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

  it('downloads a finished run’s artifact from the artifacts browser', async () => {
    const trained = await newestTask({ status: ['succeeded'] });
    await page.goto(`${url}/tasks/${trained.id}`);
    await page.getByRole('tab', { name: 'Artifacts' }).click();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download model.json' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('model.json');
    const model = JSON.parse(readFileSync(await download.path(), 'utf8'));
    expect(model.weights.length).toBeGreaterThan(0);
    await expectAccessible();
  });

  it('creates an API token shown once that calls the API, until it is revoked', async () => {
    await page.goto(`${url}/account/tokens`);
    await page.getByRole('textbox', { name: 'Name' }).fill('release-bot');
    await page.getByRole('button', { name: 'Create token' }).click();
    const token = (await page.getByTestId('new-token').innerText()).trim();
    await expectAccessible();
    await page.getByRole('dialog').getByRole('button', { name: 'OK' }).click();
    await page.getByText(token).waitFor({ state: 'detached' });
    const asToken = () => fetch(`${kiln.url}/api/v1/tasks?limit=1`, bearer(token));
    expect((await asToken()).status).toBe(200);

    const row = page.getByRole('row').filter({ hasText: 'release-bot' });
    await row.getByRole('button', { name: 'Revoke' }).click();
    await page.getByRole('button', { name: 'Revoke', exact: true }).last().click();
    await page.getByText('Token revoked').waitFor();
    await row.waitFor({ state: 'detached' });
    expect((await asToken()).status).toBe(401);
  });

  it('deploys the trained model as a service, scales it and rolls it back', async () => {
    const trained = await newestTask({ status: ['succeeded'] });
    await page.goto(`${url}/services`);
    await page.getByRole('button', { name: 'Deploy a service' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name', { exact: true }).fill('lr');
    await dialog.getByLabel('Model from task').fill(trained.id);
    await dialog.getByLabel('Command').fill(`python3\n${EXAMPLES}/serve_logistic_regression.py`);
    await dialog.getByLabel('Health path').fill('/healthz');
    const retry = { name: 'Retry a failed connection once on another replica' };
    await expect(dialog.getByRole('switch', retry).isChecked()).resolves.toBe(true);
    await expectAccessible();
    await dialog.getByRole('button', { name: 'Deploy' }).click();
    await page.waitForURL(/\/services\/lr$/);
    await serviceReaches((service) => service.status === 'ready');
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.locator('[data-status="ready"]').waitFor();
    // nothing invoked it yet: the summary says so rather than showing zeros
    await expect(page.getByText('Invocations (last 5 min)').count()).resolves.toBe(1);
    await expect(page.getByText('none', { exact: true }).count()).resolves.toBe(1);
    await page.getByText('retried once on another replica').waitFor();
    await expectAccessible();
    await screenshot(page, 'service');

    await page.getByRole('spinbutton', { name: 'Replicas' }).fill('2');
    await page.getByRole('button', { name: 'Scale' }).click();
    await page.getByText('Scaling lr to 2').waitFor();
    await serviceReaches((service) => service.replicas.ready === 2);

    // Each replica's log, followed live: the server's first line is there.
    await page.getByRole('tab', { name: 'Logs' }).click();
    await page.getByTestId('log').getByText('serving').first().waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Pause' }).click();
    await page.getByTestId('log-state').filter({ hasText: 'paused' }).waitFor();
    await expectAccessible();
    await page.getByRole('button', { name: 'Follow' }).click();
    await page.getByTestId('log-state').filter({ hasText: 'following' }).waitFor();

    // A second revision from the edit form, so there is one to go back from.
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    const edit = page.getByRole('dialog');
    await edit.getByLabel('Environment').fill('GREETING=second revision');
    await edit.getByRole('switch', retry).click();
    await expectAccessible();
    await edit.getByRole('button', { name: 'Roll out' }).click();
    await page.getByText('Rolling lr out as revision 2').waitFor();
    await serviceReaches((service) => service.revision === 2);
    const { data: revised } = await api.api.GET('/api/v1/services/{name}', {
      params: { path: { name: 'lr' } },
    });
    expect(revised!.spec.env).toEqual({ GREETING: 'second revision' });
    expect(revised!.invokeRetry).toBe(false);
    await edit.waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.getByText('not retried', { exact: true }).waitFor();
    await page.getByRole('tab', { name: 'Revisions' }).click();
    await page.getByRole('button', { name: 'Roll back to revision 1' }).click();
    await page.getByRole('button', { name: 'Roll back', exact: true }).last().click();
    await page.getByText('Rolling lr out as revision 3').waitFor();
    await expectAccessible();
  }, 90_000);

  it('edits a schedule in place', async () => {
    const schedule = (
      await api.api.POST('/api/v1/schedules', {
        body: { name: 'weekly', cron: '0 3 * * 1', task: { name: 'weekly', command: ['true'] } },
      })
    ).data!;
    await page.goto(`${url}/schedules`);
    await page.getByRole('button', { name: 'Edit weekly' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Cron expression').fill('30 4 * * 1');
    await dialog.getByRole('switch', { name: 'Paused' }).click();
    await dialog.getByLabel('Task it submits').fill('name: weekly report\ncommand: [echo, hi]\n');
    await expectAccessible();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved weekly').waitFor();
    const row = page.getByRole('row').filter({ hasText: 'weekly' });
    await row.getByText('30 4 * * 1').waitFor();
    await row.getByText('suspended').waitFor();
    const { data: saved } = await api.api.GET('/api/v1/schedules/{id}', {
      params: { path: { id: schedule.id } },
    });
    expect(saved!.task).toMatchObject({ name: 'weekly report', command: ['echo', 'hi'] });
  }, 90_000);

  it('edits a webhook in place', async () => {
    const webhook = (
      await api.api.POST('/api/v1/webhooks', { body: { url: 'http://127.0.0.1:9/first' } })
    ).data!;
    await page.goto(`${url}/webhooks`);
    await page
      .getByRole('row')
      .filter({ hasText: 'http://127.0.0.1:9/first' })
      .getByRole('button', { name: /^Edit/ })
      .click()
      .catch(async (error: Error) => {
        throw new Error(`${error.message}\nThe page said: ${await page.innerText('body')}`);
      });
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('URL').fill('http://127.0.0.1:9/second');
    await dialog.getByRole('switch', { name: 'Active' }).click();
    await expectAccessible();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Webhook saved').waitFor();
    await page.getByText('http://127.0.0.1:9/second').waitFor();
    const { data: hooks } = await api.api.GET('/api/v1/webhooks');
    expect(hooks!.items.find((item) => item.id === webhook.id)).toMatchObject({
      url: 'http://127.0.0.1:9/second',
      enabled: false,
    });
    await api.api.DELETE('/api/v1/webhooks/{id}', { params: { path: { id: webhook.id } } });
  }, 90_000);

  it('shows a page it cannot render as an error inside the frame, with the menu still working', async () => {
    // An answer the page cannot draw (a service without its spec), in a tab of its own: the
    // error React reports there is the one this test asks for.
    const other = await browser.newPage();
    try {
      await signIn(other, 'admin', PASSWORD);
      await other.route(/\/api\/v1\/services\/broken$/, (route) =>
        route.fulfill({ status: 200, contentType: 'application/json', body: '{"name":"broken"}' }),
      );
      await other.goto(`${url}/services/broken`);
      const error = other.getByTestId('page-error');
      await error.getByText('This page could not be shown').waitFor();
      await expectAccessible(other);
      await other
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Sweeps' })
        .click();
      await other.getByRole('heading', { level: 1, name: 'Sweeps' }).waitFor();
      await expect(error.count()).resolves.toBe(0);
    } finally {
      await other.close();
    }
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

  it('passes axe and the style policy on every page of the console', async () => {
    const schedule = await api.api.POST('/api/v1/schedules', {
      body: { name: 'nightly', cron: '0 3 * * *', task: { name: 'nightly', command: ['true'] } },
    });
    const sweep = await api.api.POST('/api/v1/sweeps', {
      body: {
        name: 'grid',
        task: { name: 'trial', command: ['true'] },
        parameters: [{ name: 'learning_rate', values: [0.1, 0.5] }],
        objective: { metric: 'loss', goal: 'minimize' },
        maxTrials: 2,
      },
    });
    expect([schedule.error, sweep.error]).toEqual([undefined, undefined]);
    const task = await newestTask();
    const pages: [path: string, heading: string][] = [
      ['/tasks', 'Tasks'],
      ['/tasks/new', 'Submit a task'],
      [`/tasks/${task.id}`, task.name],
      ['/compare', 'Compare tasks'],
      ['/sweeps', 'Sweeps'],
      [`/sweeps/${sweep.data!.id}`, 'Sweep grid'],
      ['/schedules', 'Schedules'],
      ['/services', 'Model services'],
      ['/services/lr', 'Service lr'],
      ['/webhooks', 'Webhooks'],
      ['/account/tokens', 'API tokens'],
      ['/account/password', 'Change password'],
      ['/admin/users', 'Users'],
      ['/admin/queues', 'Queues'],
      ['/admin/quotas', 'Quotas'],
      ['/admin/audit', 'Audit log'],
      ['/admin/system', 'System'],
    ];
    /** The pages pictured in the README, beside those other tests picture. */
    const PICTURED = new Map([
      [`/sweeps/${sweep.data!.id}`, 'sweep'],
      ['/schedules', 'schedules'],
      ['/admin/queues', 'admin-queues'],
      ['/admin/audit', 'admin-audit'],
      ['/admin/system', 'admin-system'],
    ]);
    const problems: Record<string, string[]> = {};
    for (const [path, heading] of pages) {
      await page.goto(`${url}${path}`);
      await page.getByRole('heading', { level: 1, name: heading }).waitFor({ timeout: 15_000 });
      await loaded(page);
      const found = [
        ...(await seriousA11yViolations(page)),
        ...(await cspViolations(page)).map((violation) => `CSP: ${violation}`),
      ];
      if (found.length) problems[path] = found;
      const picture = PICTURED.get(path);
      if (picture) await screenshot(page, picture);
    }
    expect(problems).toEqual({});
  }, 240_000);

  it('shows a viewer the same pages without a single button that changes anything', async () => {
    await api.api.POST('/api/v1/admin/users', {
      body: { username: 'vera', password: 'a viewer’s own passphrase', roles: ['viewer'] },
    });
    const task = await newestTask({ status: ['succeeded'] });
    const viewer = await browser.newPage();
    try {
      await signIn(viewer, 'vera', 'a viewer’s own passphrase');
      const actions =
        /^(Submit.*|Cancel.*|Retry|Clone|Deploy a service|Scale|Edit.*|Delete|Roll back|Create schedule|Trigger|Suspend|Start a sweep|Add a webhook|Ping|Redeliver)$/;
      for (const path of [
        '/tasks',
        `/tasks/${task.id}`,
        '/sweeps',
        '/schedules',
        '/services',
        '/services/lr',
        '/webhooks',
      ]) {
        await viewer.goto(`${url}${path}`);
        await viewer.getByRole('heading', { level: 1 }).waitFor();
        await loaded(viewer);
        const buttons = await viewer.getByRole('button').allInnerTexts();
        expect({ path, actions: buttons.filter((text) => actions.test(text.trim())) }).toEqual({
          path,
          actions: [],
        });
        expect(await viewer.getByRole('checkbox').count()).toBe(0);
        expect(await cspViolations(viewer)).toEqual([]);
      }
      expect(await viewer.getByRole('link', { name: 'Submit' }).count()).toBe(0);
      expect(await viewer.getByRole('link', { name: 'Queues' }).count()).toBe(0);
      await viewer.goto(`${url}/admin/queues`);
      await viewer.getByText('This page is for administrators').waitFor();
      await expectAccessible(viewer);
    } finally {
      await viewer.close();
    }
  }, 60_000);

  it('shows a 50-row page of the task list', async () => {
    // Fifty tasks that wait on a running one, so none of them changes while the list shows.
    // How fast the page renders is test/bench/console-render.bench.js's figure: a bound
    // here would judge the machine's load as much as the console.
    const blocker = (
      await api.api.POST('/api/v1/tasks', {
        body: { name: 'blocker', command: ['python3', `${EXAMPLES}/sleep.py`, '300'] },
      })
    ).data!;
    const rows: string[] = [];
    for (let index = 0; index < 50; index++) {
      const row = await api.api.POST('/api/v1/tasks', {
        body: { name: `row ${index}`, command: ['true'], dependsOn: [blocker.id] },
      });
      rows.push(row.data!.id);
    }
    await page.goto(`${url}/tasks?limit=50`);
    await rowOf(rows[0]).waitFor();
    await expect(page.locator('tr[data-row-key]').count()).resolves.toBe(50);
    await rowOf(rows[49]).waitFor();
  }, 60_000);

  it('breaks no Content-Security-Policy rule and logs no error on the way', () => {
    expect(consoleErrors.filter((text) => !text.includes('Failed to load resource'))).toEqual([]);
  });
});
