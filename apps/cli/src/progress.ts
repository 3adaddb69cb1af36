/**
 * One status line that redraws itself on a terminal and prints a line at
 * most every few seconds otherwise (CI logs, files), so long commands always
 * show they are alive.
 */
export class ProgressLine {
  private lastPrinted = 0;
  private lastText = '';

  constructor(
    private readonly out: NodeJS.WriteStream = process.stderr,
    private readonly intervalMs = 3000,
  ) {}

  update(text: string): void {
    if (this.out.isTTY) {
      this.out.write(`\r\x1b[2K${text}`);
    } else if (text !== this.lastText && Date.now() - this.lastPrinted >= this.intervalMs) {
      this.out.write(text + '\n');
      this.lastPrinted = Date.now();
    }
    this.lastText = text;
  }

  done(text: string): void {
    this.out.write(this.out.isTTY ? `\r\x1b[2K${text}\n` : `${text}\n`);
  }
}

export function bar(done: number, total: number, width = 24): string {
  const share = total === 0 ? 1 : Math.min(1, done / total);
  const filled = Math.round(share * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(share * 100).toFixed(0).padStart(3)}%`;
}
