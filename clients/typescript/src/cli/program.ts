// The `kiln` command and its subcommands.
import { Command } from 'commander';
import { adminCommand } from './commands/admin';
import { applyCommand } from './commands/apply';
import { artifactsCommand } from './commands/artifacts';
import { cancelCommand } from './commands/cancel';
import { cloneCommand } from './commands/clone';
import { completionCommand } from './commands/completion';
import { eventsCommand } from './commands/events';
import { examples } from './commands/examples';
import { getCommand } from './commands/get';
import { listCommand } from './commands/list';
import { loginCommand, logoutCommand, whoamiCommand } from './commands/login';
import { logsCommand } from './commands/logs';
import { metricsCommand } from './commands/metrics';
import { retryCommand } from './commands/retry';
import { runCommand } from './commands/run';
import { schedulesCommand } from './commands/schedules';
import { servicesCommand } from './commands/services';
import { sweepsCommand } from './commands/sweeps';
import { waitCommand } from './commands/wait';
import { DEFAULT_URL } from './session';

export function createProgram(version: string): Command {
  const program = new Command('kiln')
    .description('Run and watch ML training tasks on a Kiln server')
    .version(version)
    .option(
      '--url <url>',
      `the server (default: the one you logged in to, else KILN_URL, else ${DEFAULT_URL})`,
    )
    .showHelpAfterError()
    .configureHelp({ showGlobalOptions: true })
    .addHelpText(
      'after',
      examples(
        'kiln login --url http://localhost:3000',
        'kiln run -p epochs=50 -- python3 examples/logistic_regression.py',
        'kiln ls --status running',
        'kiln logs -f "$ID"',
        'kiln services ls',
        'kiln admin queues ls',
      ) +
        '\nEnvironment: KILN_URL, KILN_TOKEN (an API token, instead of `kiln login`), KILN_CONFIG_DIR, NO_COLOR' +
        '\nExit codes: 0 done (task succeeded), 1 task ended otherwise, 2 error, 3 not logged in or login failed, 130 interrupted\n',
    );
  for (const command of [
    loginCommand(),
    logoutCommand(),
    whoamiCommand(),
    runCommand(),
    applyCommand(),
    listCommand(),
    getCommand(),
    logsCommand(),
    eventsCommand(),
    cancelCommand(),
    retryCommand(),
    cloneCommand(),
    waitCommand(),
    metricsCommand(),
    artifactsCommand(),
    servicesCommand(),
    schedulesCommand(),
    sweepsCommand(),
    adminCommand(),
  ])
    program.addCommand(command);
  program.addCommand(completionCommand(program));
  return program;
}
