import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** What `adrec_build_info` and the traces' resource say about this process's code. */
export interface BuildInfo {
  version: string;
  nodeVersion: string;
}

let cached: BuildInfo | undefined;

/**
 * The version in the repository's package.json, found by walking up from
 * this file: the same lookup works from libs/ under jest, from dist/ and in
 * the images (which copy package.json next to dist/).
 */
export function buildInfo(): BuildInfo {
  if (cached) return cached;
  let version = 'unknown';
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const manifest = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (manifest.name === 'adrec') {
        version = manifest.version ?? version;
        break;
      }
    }
    if (dirname(dir) === dir) break;
  }
  cached = { version, nodeVersion: process.version };
  return cached;
}
