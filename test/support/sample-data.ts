import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { uploadRawData } from '../../apps/cli/src/raw-data.uploader';
import { DEFAULT_GENERATE_OPTIONS, GenerateOptions, generateSampleData, GeneratedData } from '../../apps/cli/src/sample-data.generator';
import { TestEnvironment } from './test-environment';

/**
 * Generates course-shaped logs into a fresh temporary directory (the
 * generator's defaults overridden by `options`) and uploads them to the
 * environment's raw prefix. The caller removes `dataDir` when done.
 */
export async function uploadSampleData(
  env: TestEnvironment,
  options: Partial<Omit<GenerateOptions, 'outDir'>> & Pick<GenerateOptions, 'endDate' | 'seed'>,
): Promise<{ dataDir: string; data: GeneratedData }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'adrec-sample-'));
  const data = await generateSampleData({ ...DEFAULT_GENERATE_OPTIONS, ...options, outDir: dataDir });
  await uploadRawData(env.store, env.config.storage.rawPrefix, dataDir);
  return { dataDir, data };
}
