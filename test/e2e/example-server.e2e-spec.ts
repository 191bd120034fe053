// The example model server (examples/serve_logistic_regression.py) as a service replica
// sees it: it answers its health check and predictions, refuses bad input, and on
// SIGTERM (a rollout or scale-down stopping it) finishes the request under way.
import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';
import { waitUntil } from '../../src/common/wait-until';
import { freePort } from '../support/redis';
import { tempDataDir } from '../support/test-config';

const SERVER = resolve(__dirname, '../../examples/serve_logistic_regression.py');
const MODEL = { weights: [0.5, -0.25], bias: 0.1 };

describe('the example model server', () => {
  let server: ChildProcess;
  let url: string;
  let port: number;

  beforeEach(async () => {
    const modelDir = tempDataDir('kiln-example-model-');
    writeFileSync(join(modelDir, 'model.json'), JSON.stringify(MODEL));
    port = await freePort();
    url = `http://127.0.0.1:${port}`;
    server = spawn('python3', [SERVER], {
      env: {
        PATH: process.env.PATH,
        KILN_MODEL_DIR: modelDir,
        PORT: String(port),
        HOST: '127.0.0.1',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    // it prints one line once it listens
    await once(server.stdout!, 'data');
  });

  afterEach(() => {
    if (server.exitCode === null) server.kill('SIGKILL');
  });

  it('answers its health check, predictions, and a clear 400 for bad instances', async () => {
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const predicted = await fetch(`${url}/predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        instances: [
          [4, 0],
          [-4, 0],
        ],
      }),
    });
    expect(predicted.status).toBe(200);
    expect(await predicted.json()).toMatchObject({ predictions: [1, 0] });
    const bad = await fetch(`${url}/predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ instances: [[1, 2, 3]] }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toContain('2 numbers');
  });

  it('finishes the request under way when it is stopped, then exits 0', async () => {
    const body = JSON.stringify({ instances: [[1, 2]] });
    const socket = connect(port, '127.0.0.1');
    await once(socket, 'connect');
    const answer = new Promise<string>((done) => {
      let text = '';
      socket.on('data', (chunk) => (text += chunk.toString('utf8')));
      socket.on('close', () => done(text));
    });
    // Half a request: the server is inside it, reading the body, when the stop comes.
    socket.write(
      `POST /predict HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n` +
        `content-length: ${body.length}\r\n\r\n${body.slice(0, 5)}`,
    );
    const underWay = await waitUntil(
      async () =>
        ((await (await fetch(`${url}/healthz`)).json()) as { predicting: number }).predicting === 1,
      { timeoutMs: 10_000, intervalMs: 20 },
    );
    expect(underWay.satisfied).toBe(true);
    const exited = once(server, 'exit');
    server.kill('SIGTERM');
    socket.end(body.slice(5));

    expect((await answer).split('\r\n')[0]).toBe('HTTP/1.1 200 OK');
    expect(await exited).toEqual([0, null]);
  });
});
