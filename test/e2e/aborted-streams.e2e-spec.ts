// Clients that hang up in the middle of a streamed answer (an artifact download, a log
// or event stream) against a real Kiln process from the build: nothing a client does
// may end the process.
import { waitUntil } from '../../src/common/wait-until';
import { KilnProcess } from '../support/kiln-process';

const ADMIN = 'root';
const ADMIN_PASSWORD = 'correct horse battery staple 42';
const BIG_BYTES = 20_000_000;

describe('streamed responses a client aborts', () => {
  let kiln: KilnProcess;
  let token: string;
  let taskId: string;

  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${kiln.url}/api/v1${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, ...init.headers },
    });

  /** Reads the first chunk of `path`, then hangs up. */
  async function abortAfterFirstChunk(path: string): Promise<void> {
    const abort = new AbortController();
    const response = await api(path, { signal: abort.signal });
    expect(response.status).toBe(200);
    await response.body!.getReader().read();
    abort.abort();
  }

  beforeAll(async () => {
    kiln = await KilnProcess.start({
      env: { KILN_ADMIN_USERNAME: ADMIN, KILN_ADMIN_PASSWORD: ADMIN_PASSWORD },
    });
    const login = await fetch(`${kiln.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: ADMIN, password: ADMIN_PASSWORD }),
    });
    token = ((await login.json()) as { accessToken: string }).accessToken;
    const submitted = await api('/tasks', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'writes artifacts',
        command: [
          '/bin/sh',
          '-c',
          `head -c ${BIG_BYTES} /dev/zero > "$KILN_OUTPUT_DIR/big.bin"; echo '{"w": 1}' > "$KILN_OUTPUT_DIR/model.json"`,
        ],
      }),
    });
    taskId = ((await submitted.json()) as { id: string }).id;
    const done = await waitUntil(
      async () =>
        ((await (await api(`/tasks/${taskId}`)).json()) as { status: string }).status ===
        'succeeded',
      { timeoutMs: 30_000, intervalMs: 100 },
    );
    expect(done.satisfied).toBe(true);
  }, 60_000);

  afterAll(async () => {
    await kiln?.stop();
  });

  async function expectStillServing(): Promise<void> {
    expect(kiln.child.exitCode).toBeNull();
    const full = await api(`/tasks/${taskId}/artifacts/big.bin`);
    expect(full.status).toBe(200);
    expect((await full.arrayBuffer()).byteLength).toBe(BIG_BYTES);
    expect(kiln.text).not.toContain('ERR_HTTP_HEADERS_SENT');
  }

  it('keeps serving after downloads of a large artifact are aborted after the first chunk', async () => {
    for (let i = 0; i < 5; i++) await abortAfterFirstChunk(`/tasks/${taskId}/artifacts/big.bin`);
    await expectStillServing();
  }, 60_000);

  it('keeps serving after many downloads of a small artifact', async () => {
    for (let i = 0; i < 30; i++) {
      const model = await api(`/tasks/${taskId}/artifacts/model.json`);
      expect(model.status).toBe(200);
      expect(await model.json()).toEqual({ w: 1 });
    }
    await expectStillServing();
  }, 60_000);

  it('keeps serving after log and event streams are aborted after the first chunk', async () => {
    for (let i = 0; i < 5; i++) {
      await abortAfterFirstChunk(`/tasks/${taskId}/logs/stream`);
      await abortAfterFirstChunk('/events');
    }
    await expectStillServing();
  }, 60_000);
});
