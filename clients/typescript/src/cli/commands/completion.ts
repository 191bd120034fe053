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

/** Each command with its options, read from the program so the script never lags it. */
function commandWords(
  program: Command,
): Array<{ name: string; about: string; options: string[]; subcommands: string[] }> {
  return program.commands.map((command) => ({
    name: command.name(),
    subcommands: command.commands.map((subcommand) => subcommand.name()),
    about: command.description().replace(/'/g, ''),
    options: command.options
      .flatMap((option) => [option.short, option.long])
      .filter(Boolean) as string[],
  }));
}

function bashScript(program: Command): string {
  const commands = commandWords(program);
  const cases = commands
    .map(
      (command) =>
        `    ${command.name}) words="${[...command.subcommands, ...command.options, '--help'].join(' ')}" ;;`,
    )
    .join('\n');
  return `# kiln completion for bash
_kiln() {
  local current=\${COMP_WORDS[COMP_CWORD]} words
  if [ "$COMP_CWORD" -eq 1 ]; then
    words="${commands.map((command) => command.name).join(' ')}"
  else
    case "\${COMP_WORDS[1]}" in
${cases}
    esac
  fi
  COMPREPLY=($(compgen -W "$words" -- "$current"))
}
complete -o default -F _kiln kiln
`;
}

function zshScript(program: Command): string {
  const commands = commandWords(program);
  const described = commands.map((command) => `    '${command.name}:${command.about}'`).join('\n');
  const cases = commands
    .map((command) =>
      command.subcommands.length
        ? `      ${command.name}) compadd ${command.subcommands.join(' ')} ;;`
        : `      ${command.name}) _arguments ${[...command.options, '--help'].map((o) => `'${o}'`).join(' ')} '*:file:_files' ;;`,
    )
    .join('\n');
  return `#compdef kiln
_kiln() {
  local -a commands
  commands=(
${described}
  )
  if (( CURRENT == 2 )); then
    _describe 'command' commands
  else
    case $words[2] in
${cases}
    esac
  fi
}
compdef _kiln kiln
`;
}
