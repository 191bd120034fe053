// The bottom line `kiln run` keeps redrawn on a terminal while the log scrolls above it:
// the progress the run reports with `KILN_PROGRESS x` lines (x from 0 to 1).
const PROGRESS_LINE = /^KILN_PROGRESS\s+([0-9.eE+-]+)\s*$/;

export function progressOf(line: string): number | undefined {
  const match = PROGRESS_LINE.exec(line.trim());
  if (!match) return undefined;
  const value = Number(match[1]);
  return Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : undefined;
}

export function renderBar(fraction: number, label: string, width: number): string {
  const percent = `${Math.round(fraction * 100)}%`.padStart(4);
  const barWidth = Math.max(10, Math.min(40, width - percent.length - label.length - 5));
  const filled = Math.round(fraction * barWidth);
  const bar = `[${'#'.repeat(filled)}${'-'.repeat(barWidth - filled)}]`;
  return `${bar} ${percent}  ${label}`.slice(0, Math.max(0, width - 1));
}

/** Writes log lines to stdout with the bar kept as the last line, on a terminal only. */
export class LiveOutput {
  private fraction: number | undefined;
  private drawn = false;

  constructor(
    private readonly label: string,
    private readonly tty = Boolean(process.stdout.isTTY),
  ) {}

  line(text: string): void {
    const progress = progressOf(text);
    if (progress !== undefined) this.fraction = progress;
    this.clear();
    process.stdout.write(`${text}\n`);
    this.draw();
  }

  clear(): void {
    if (this.drawn) process.stdout.write('\r\x1b[2K');
    this.drawn = false;
  }

  private draw(): void {
    if (!this.tty || this.fraction === undefined) return;
    process.stdout.write(renderBar(this.fraction, this.label, process.stdout.columns || 80));
    this.drawn = true;
  }
}
