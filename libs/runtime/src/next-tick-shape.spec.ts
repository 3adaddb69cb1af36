import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { retainNextTickShape } from './next-tick-shape';

const BUILT_MODULE = join(__dirname, '..', '..', '..', 'dist', 'libs', 'runtime', 'src', 'next-tick-shape.js');

describe('retainNextTickShape', () => {
  it("holds one of nextTick's queue entries, the same one on every call", () => {
    const entry = retainNextTickShape();
    expect(Object.keys(entry)).toEqual(['callback', 'args']);
    // The async ids Node gives the entry live under its internal symbols.
    expect(Object.getOwnPropertySymbols(entry).map((symbol) => symbol.description)).toEqual(
      expect.arrayContaining(['async_id_symbol', 'trigger_async_id_symbol']),
    );
    expect(retainNextTickShape()).toBe(entry);
  });

  it('holds an entry with the hidden class later nextTick calls build theirs with, so that class stays alive', () => {
    // V8's own check (%HaveSameMap) needs --allow-natives-syntax: a child process on the built module.
    const script = `
      const { catchNextTickEntry, retainNextTickShape } = require(${JSON.stringify(BUILT_MODULE)});
      const retained = retainNextTickShape();
      for (let i = 0; i < 10000; i++) process.nextTick(() => undefined, i);
      setTimeout(() => process.stdout.write(String(%HaveSameMap(retained, catchNextTickEntry()))), 10);
    `;
    const result = spawnSync(process.execPath, ['--allow-natives-syntax', '-e', script], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('true');
  });
});
