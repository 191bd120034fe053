// Questions on the terminal: a password without echo, a yes/no. When stdin is not a
// terminal the answer is read as a line from it, so scripts can pipe one in.
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';

export function ask(question: string, options: { secret?: boolean } = {}): Promise<string> {
  const muted = options.secret && process.stdin.isTTY;
  let echo = true;
  const output = new Writable({
    write(chunk: Buffer, _encoding, done) {
      if (echo || !muted) process.stderr.write(chunk);
      done();
    },
  });
  const reader = createInterface({ input: process.stdin, output, terminal: Boolean(muted) });
  return new Promise((resolve, reject) => {
    let answered = false;
    reader.question(question, (answer) => {
      answered = true;
      if (muted) process.stderr.write('\n');
      reader.close();
      resolve(answer);
    });
    echo = false;
    // a terminal in raw mode hands Ctrl-C to readline instead of raising SIGINT
    reader.on('SIGINT', () => {
      process.stderr.write('\n');
      process.exit(130);
    });
    reader.on('close', () => {
      if (!answered) reject(new Error('No answer: standard input closed'));
    });
  });
}

export async function confirm(question: string): Promise<boolean> {
  return /^y(es)?$/i.test((await ask(`${question} [y/N] `)).trim());
}
