// Turns a byte stream into output lines of bounded length, so one runaway line (a
// progress bar without newlines, a dumped tensor) cannot exhaust memory or the log.
import { StringDecoder } from 'node:string_decoder';

export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private partial = '';
  private dropped = 0;

  constructor(
    private readonly maxLineLength: number,
    private readonly onLine: (line: string) => void,
  ) {}

  push(chunk: Buffer): void {
    this.consume(this.decoder.write(chunk));
  }

  /** Emits what is left after the stream ended without a final newline. */
  end(): void {
    this.consume(this.decoder.end());
    if (this.partial !== '' || this.dropped > 0) this.emit();
  }

  private consume(text: string): void {
    let start = 0;
    for (let newline = text.indexOf('\n'); newline !== -1; newline = text.indexOf('\n', start)) {
      this.append(text.slice(start, newline));
      this.emit();
      start = newline + 1;
    }
    this.append(text.slice(start));
  }

  private append(text: string): void {
    const room = this.maxLineLength - this.partial.length;
    if (text.length <= room) {
      this.partial += text;
      return;
    }
    this.partial += text.slice(0, Math.max(0, room));
    this.dropped += text.length - Math.max(0, room);
  }

  private emit(): void {
    const line = this.partial.endsWith('\r') ? this.partial.slice(0, -1) : this.partial;
    const marker = this.dropped > 0 ? ` [line cut: ${this.dropped} more characters]` : '';
    this.partial = '';
    this.dropped = 0;
    this.onLine(line + marker);
  }
}
