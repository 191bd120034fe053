import { Command } from 'commander';
import { examples } from './examples';

export function completionCommand(program: Command): Command {
  return new Command('completion')
    .description('print a shell completion script for bash or zsh')
    .argument('<shell>', 'bash or zsh')
    .addHelpText(
      'after',
      examples(
        'source <(kiln completion bash)          # in ~/.bashrc',
        'kiln completion zsh > "${fpath[1]}/_kiln"  # then restart zsh',
      ),
    )
    .action((shell: string) => {
      if (shell !== 'bash' && shell !== 'zsh')
        throw new Error(`no completion for "${shell}": use bash or zsh`);
      process.stdout.write(shell === 'bash' ? bashScript(program) : zshScript(program));
    });
}

/** A command reached by a path of names (`admin/webhooks/update`) and what may follow it. */
interface CommandWords {
  path: string;
  about: string;
  options: string[];
  subcommands: string[];
}

/** Every command at every depth with its options, read from the program so the script never lags it. */
function commandWords(command: Command, prefix = ''): CommandWords[] {
  return command.commands.flatMap((subcommand) => {
    const path = prefix ? `${prefix}/${subcommand.name()}` : subcommand.name();
    const words: CommandWords = {
      path,
      about: subcommand.description().replace(/'/g, ''),
      subcommands: subcommand.commands.map((nested) => nested.name()),
      options: subcommand.options
        .flatMap((option) => [option.short, option.long])
        .filter(Boolean) as string[],
    };
    return [words, ...commandWords(subcommand, path)];
  });
}

/** What may follow a command: its subcommands, then its options. */
function followers(command: CommandWords): string {
  return [...command.subcommands, ...command.options, '--help'].join(' ');
}

function bashScript(program: Command): string {
  const commands = commandWords(program);
  const topLevel = commands.filter((command) => !command.path.includes('/'));
  const cases = commands
    .map((command) => `    ${command.path}) echo "${followers(command)}" ;;`)
    .join('\n');
  // The deepest command the words so far name decides what completes next; words that
  // name no command (arguments, option values) are passed over.
  return `# kiln completion for bash
_kiln_words() {
  case "$1" in
    "") echo "${topLevel.map((command) => command.path).join(' ')}" ;;
${cases}
  esac
}
_kiln() {
  local current=\${COMP_WORDS[COMP_CWORD]} path="" next i
  for ((i = 1; i < COMP_CWORD; i++)); do
    next="\${path:+$path/}\${COMP_WORDS[i]}"
    if [ -n "$(_kiln_words "$next")" ]; then path=$next; fi
  done
  COMPREPLY=($(compgen -W "$(_kiln_words "$path")" -- "$current"))
}
complete -o default -F _kiln kiln
`;
}

function zshScript(program: Command): string {
  const commands = commandWords(program);
  const topLevel = commands.filter((command) => !command.path.includes('/'));
  const described = topLevel.map((command) => `    '${command.path}:${command.about}'`).join('\n');
  const cases = commands
    .map((command) =>
      command.subcommands.length
        ? `      ${command.path}) compadd ${command.subcommands.join(' ')} ;;`
        : `      ${command.path}) _arguments ${[...command.options, '--help'].map((o) => `'${o}'`).join(' ')} '*:file:_files' ;;`,
    )
    .join('\n');
  // The deepest command the words so far name, as in the bash script (not in `path`,
  // which zsh ties to PATH).
  return `#compdef kiln
_kiln() {
  local -a commands
  commands=(
${described}
  )
  if (( CURRENT == 2 )); then
    _describe 'command' commands
    return
  fi
  local command_path=$words[2] i
  for (( i = 3; i < CURRENT; i++ )); do
    case "$command_path/$words[i]" in
${commands
  .filter((command) => command.path.split('/').length > 1)
  .map((command) => `      ${command.path}) command_path=${command.path} ;;`)
  .join('\n')}
    esac
  done
  case $command_path in
${cases}
  esac
}
compdef _kiln kiln
`;
}
