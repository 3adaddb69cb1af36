import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ConsoleAsset {
  body: Buffer;
  contentType: string;
  etag: string;
}

/** The page's files, as served; the names double as the allow-list of `/console/assets/:file`. */
const FILES: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'console.css': 'text/css; charset=utf-8',
  'console.js': 'text/javascript; charset=utf-8',
  'evaluation.js': 'text/javascript; charset=utf-8',
  'favicon.svg': 'image/svg+xml',
};

/**
 * The console's static files, read once at start-up from `assets/` next to
 * this file (swc --copy-files puts them beside the compiled code, so the api
 * image carries them) and kept in memory. A missing file fails the start.
 */
export class ConsoleAssets {
  private readonly assets = new Map<string, ConsoleAsset>();

  constructor(directory = join(__dirname, 'assets')) {
    for (const [name, contentType] of Object.entries(FILES)) {
      const body = readFileSync(join(directory, name));
      const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
      this.assets.set(name, { body, contentType, etag });
    }
  }

  get(name: string): ConsoleAsset | undefined {
    return this.assets.get(name);
  }
}
