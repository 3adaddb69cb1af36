import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { AdrecError } from '@adrec/contracts';
import { scanDates } from './data-dates.scanner';

let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'adrec-scan-'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A directory holding `files`, named after the test. */
async function directoryWith(name: string, files: Record<string, string | Buffer>): Promise<string> {
  const dir = await mkdtemp(join(root, `${name}-`));
  for (const [file, body] of Object.entries(files)) await writeFile(join(dir, file), body);
  return dir;
}

describe('scanDates', () => {
  it("lists the valid dates of both logs, oldest first, finding the date column by name in each file's header", async () => {
    const dir = await directoryWith('dates', {
      'product_views.csv': 'date,advertiser_id,product_id\n2022-03-02,A,p1\nnot-a-date,A,p1\n2022-03-01,A,p2\n',
      'ads_views.csv.gz': gzipSync('advertiser_id,product_id,type,date\nA,p1,click,2022-03-03\nA,p1,click\n'),
    });
    await expect(scanDates(dir)).resolves.toEqual(['2022-03-01', '2022-03-02', '2022-03-03']);
  });

  it('fails with INGEST.BAD_HEADER, as ingest would, when a log has no date column, instead of reading another column', async () => {
    const dir = await directoryWith('no-date', {
      'product_views.csv': 'advertiser_id,product_id,day\nA,p1,2022-03-01\n',
    });
    const scan = scanDates(dir);
    await expect(scan).rejects.toBeInstanceOf(AdrecError);
    await expect(scan).rejects.toMatchObject({
      code: 'INGEST.BAD_HEADER',
      message: `${join(dir, 'product_views.csv')} line 1: header "advertiser_id,product_id,day" lacks column(s) date`,
    });
  });
});
