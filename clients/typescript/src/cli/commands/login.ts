import { Command } from 'commander';
import { KilnClient, unwrap } from '../../kiln-client';
import { KilnProblemError } from '../../problem';
import { credentialsPath, forgetLogin, readLogin, writeLogin } from '../credentials-store';
import { CliExit, EXIT } from '../exit-codes';
import { ask } from '../prompt';
import { DEFAULT_URL, loggedInClient } from '../session';
import { err } from '../terminal';
import { examples } from './examples';

export function loginCommand(): Command {
  return new Command('login')
    .description('log in to a Kiln server and keep the session in your config directory')
    .option('-u, --username <name>', 'your user name (asked when absent)')
    .option('--token <token>', 'an API token instead of a password (from `POST /auth/tokens`)')
    .addHelpText(
      'after',
      examples(
        'kiln login --url http://kiln.internal:3000',
        'kiln login -u alice < password.txt',
        'kiln login --token "$KILN_API_TOKEN"',
      ),
    )
    .action(async (options: { username?: string; token?: string }, self: Command) => {
      const { url: given } = self.optsWithGlobals<{ url?: string }>();
      const url = (given ?? process.env.KILN_URL ?? DEFAULT_URL).replace(/\/+$/, '');
      const client = new KilnClient({ baseUrl: url });
      if (options.token) {
        await client.session.use({ accessToken: options.token });
        const me = await authenticated(unwrap(client.api.GET('/api/v1/auth/me')));
        writeLogin({ url, accessToken: options.token });
        return report(me.username, url);
      }
      const username = options.username ?? (await ask('Username: ')).trim();
      const password = await ask('Password: ', { secret: true });
      const session = await authenticated(client.login(username, password));
      writeLogin({ url, accessToken: session.accessToken, refreshToken: session.refreshToken });
      report(session.user.username, url);
    });
}

export function logoutCommand(): Command {
  return new Command('logout')
    .description('end the session on the server and forget it here')
    .addHelpText('after', examples('kiln logout'))
    .action(async () => {
      if (readLogin()?.refreshToken) {
        await loggedInClient()
          .logout()
          .catch(() => undefined); // an expired session is as good as ended
      }
      forgetLogin();
      process.stderr.write('Logged out.\n');
    });
}

export function whoamiCommand(): Command {
  return new Command('whoami')
    .description('who you are logged in as, and where')
    .addHelpText(
      'after',
      examples('kiln whoami', 'KILN_TOKEN=… kiln whoami --url http://kiln:3000'),
    )
    .action(async (_options, command: Command) => {
      const client = loggedInClient(command.optsWithGlobals());
      const me = await unwrap(client.api.GET('/api/v1/auth/me'));
      process.stdout.write(
        `${me.username} (${me.roles.join(', ')}) at ${client.options.baseUrl}\n`,
      );
    });
}

/** A 401 means the credentials, not the server: say so and exit with its own code. */
async function authenticated<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof KilnProblemError && error.status === 401)
      throw new CliExit(EXIT.unauthenticated, `Login failed: ${error.detail || error.title}`);
    throw error;
  }
}

function report(username: string, url: string) {
  process.stderr.write(
    `Logged in to ${url} as ${err.bold(username)} (saved in ${credentialsPath()}).\n`,
  );
}
