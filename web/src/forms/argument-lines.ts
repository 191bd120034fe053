/** A command typed one argument per line, as the submit form takes it; undefined if empty. */
export function argumentLines(text?: string): string[] | undefined {
  const args = (text ?? '')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  return args.length ? args : undefined;
}
