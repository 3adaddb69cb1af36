// docker/smoke.sh's check: every list the containerized API serves, for
// every active advertiser, both models and every date, equals the lists
// computed the plainest way from the CSV files (test/support/reference-lists.ts,
// which shares no code with the pipeline; Node 24 runs it by stripping types).
// Also: the inactive advertisers answer 404, and /history agrees with the lists.
//
//   node docker/smoke-check.mjs API_URL DATA_DIR FROM_DATE TO_DATE
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { referenceLists } from '../test/support/reference-lists.ts';

const [api, dataDir, from, to] = process.argv.slice(2);
if (!to) {
  console.error('usage: node docker/smoke-check.mjs API_URL DATA_DIR FROM_DATE TO_DATE');
  process.exit(2);
}

const dates = [];
for (let day = new Date(`${from}T00:00:00Z`); day <= new Date(`${to}T00:00:00Z`); day.setUTCDate(day.getUTCDate() + 1)) {
  dates.push(day.toISOString().slice(0, 10));
}
const column = (file) =>
  readFileSync(join(dataDir, file), 'utf8')
    .split(/\r?\n/)
    .slice(1)
    .filter(Boolean)
    .map((line) => line.split(',')[0]);
const active = new Set(column('advertiser_ids.csv'));
const inactive = [...new Set(column('product_views.csv'))].filter((id) => !active.has(id));

async function get(path) {
  const response = await fetch(api + path);
  return { status: response.status, body: await response.json() };
}

/** The API learns of a publication by NOTIFY: wait (at most 60 s) until it serves the date. */
async function servedWithin(date, advertiserId) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if ((await fetch(`${api}/recommendations/${advertiserId}/top_product?date=${date}`)).status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

let compared = 0;
const failures = [];
for (const date of dates) {
  const expected = referenceLists(dataDir, date);
  await servedWithin(date, [...expected.keys()][0]);
  for (const [advertiserId, lists] of expected) {
    for (const model of ['top_ctr', 'top_product']) {
      const want = lists[model].map((item, index) => ({ rank: index + 1, ...item }));
      const { status, body } = await get(`/recommendations/${advertiserId}/${model}?date=${date}`);
      compared++;
      if (status !== 200 || body.date !== date || !isDeepStrictEqual(body.items, want)) {
        failures.push(`${date} ${advertiserId} ${model}: HTTP ${status}, ${JSON.stringify(body).slice(0, 200)}`);
      }
    }
  }
}

// /history serves the same lists, newest first.
const someone = [...active][0];
const { status: historyStatus, body: historyBody } = await get(`/history/${someone}?days=${dates.length}`);
const history = historyBody.history ?? [];
const historyDates = historyStatus === 200 ? history.map((entry) => entry.date) : [];
if (!isDeepStrictEqual(historyDates, [...dates].reverse())) failures.push(`/history/${someone}: dates ${JSON.stringify(historyDates)}`);
for (const entry of historyStatus === 200 ? history : []) {
  const lists = referenceLists(dataDir, entry.date).get(someone);
  for (const model of ['top_ctr', 'top_product']) {
    const want = lists[model].map((item, index) => ({ rank: index + 1, ...item }));
    if (!isDeepStrictEqual(entry[model], want)) failures.push(`/history/${someone} ${entry.date} ${model} differs`);
  }
}

for (const advertiserId of inactive) {
  const { status } = await get(`/recommendations/${advertiserId}/top_ctr`);
  if (status !== 404) failures.push(`inactive ${advertiserId}: HTTP ${status}, expected 404`);
}

for (const failure of failures.slice(0, 20)) console.error(failure);
console.error(
  `${compared} lists over ${dates.length} dates and ${active.size} advertisers compared, /history checked, ` +
    `${inactive.length} inactive advertisers answered 404: ${failures.length === 0 ? 'all match' : `${failures.length} FAILED`}`,
);
process.exit(failures.length === 0 ? 0 : 1);
