"use strict";
Object.defineProperty(exports, "__esModule", {
    value: true
});
const _promises = require("node:fs/promises");
const _nodeos = require("node:os");
const _nodepath = require("node:path");
const _sampledatagenerator = require("./sample-data.generator");
const SMALL = {
    advertisers: 25,
    inactive: 5,
    catalogSize: 100,
    productViews: 2000,
    adEvents: 2000,
    days: 3,
    endDate: '2022-03-01',
    skew: 0,
    seed: 1
};
const FILES = [
    'advertiser_ids.csv',
    'product_views.csv',
    'ads_views.csv'
];
let root;
beforeAll(async ()=>{
    root = await (0, _promises.mkdtemp)((0, _nodepath.join)((0, _nodeos.tmpdir)(), 'adrec-generate-'));
});
afterAll(async ()=>{
    await (0, _promises.rm)(root, {
        recursive: true,
        force: true
    });
});
async function generate(name, overrides = {}) {
    const outDir = (0, _nodepath.join)(root, name);
    await (0, _sampledatagenerator.generateSampleData)({
        ...SMALL,
        ...overrides,
        outDir
    });
    return outDir;
}
/** Header and data rows of a generated CSV. */ async function readRows(dir, file) {
    const [header, ...lines] = (await (0, _promises.readFile)((0, _nodepath.join)(dir, file), 'utf8')).split('\n');
    expect(lines.pop()).toBe('');
    return {
        header,
        rows: lines.map((line)=>line.split(','))
    };
}
describe('generateSampleData', ()=>{
    let dir;
    let views;
    let ads;
    beforeAll(async ()=>{
        dir = await generate('seed-1');
        views = (await readRows(dir, 'product_views.csv')).rows;
        ads = (await readRows(dir, 'ads_views.csv')).rows;
    });
    it('lists the active advertisers, 20-character ids of A-Z0-9, in advertiser_ids.csv', async ()=>{
        const { header, rows } = await readRows(dir, 'advertiser_ids.csv');
        expect(header).toBe('advertiser_id');
        expect(rows).toHaveLength(20);
        for (const [id] of rows)expect(id).toMatch(/^[A-Z0-9]{20}$/);
        expect(new Set(rows.map(([id])=>id)).size).toBe(20);
    });
    it('writes the requested number of lines with the course headers', async ()=>{
        expect((await readRows(dir, 'product_views.csv')).header).toBe('advertiser_id,product_id,date');
        expect((await readRows(dir, 'ads_views.csv')).header).toBe('advertiser_id,product_id,type,date');
        expect(views).toHaveLength(2000);
        expect(ads).toHaveLength(2000);
    });
    it('logs lines of 25 advertisers, the 5 inactive ones included', async ()=>{
        const active = new Set((await readRows(dir, 'advertiser_ids.csv')).rows.map(([id])=>id));
        const logged = new Set([
            ...views,
            ...ads
        ].map(([advertiserId])=>advertiserId));
        expect(logged.size).toBe(25);
        for (const id of logged)expect(id).toMatch(/^[A-Z0-9]{20}$/);
        expect([
            ...logged
        ].filter((id)=>!active.has(id))).toHaveLength(5);
    });
    it("draws each advertiser's products, 6-character ids of a-z0-9, from a catalog of at most 100", ()=>{
        const catalogs = new Map();
        for (const [advertiserId, productId] of [
            ...views,
            ...ads
        ]){
            expect(productId).toMatch(/^[a-z0-9]{6}$/);
            const catalog = catalogs.get(advertiserId) ?? new Set();
            catalog.add(productId);
            catalogs.set(advertiserId, catalog);
        }
        for (const catalog of catalogs.values())expect(catalog.size).toBeLessThanOrEqual(100);
    });
    it('dates every line within the days ending at endDate', ()=>{
        const dates = new Set([
            ...views.map((row)=>row[2]),
            ...ads.map((row)=>row[3])
        ]);
        expect([
            ...dates
        ].sort()).toEqual([
            '2022-02-27',
            '2022-02-28',
            '2022-03-01'
        ]);
    });
    it('writes only impression and click events, mostly impressions', ()=>{
        const types = ads.map((row)=>row[2]);
        expect(new Set(types)).toEqual(new Set([
            'impression',
            'click'
        ]));
        expect(types.filter((type)=>type === 'click').length).toBeLessThan(100);
    });
    it('writes byte-identical files for the same seed', async ()=>{
        const again = await generate('seed-1-again');
        for (const file of FILES){
            expect((await (0, _promises.readFile)((0, _nodepath.join)(again, file))).equals(await (0, _promises.readFile)((0, _nodepath.join)(dir, file)))).toBe(true);
        }
    });
    it('writes different files for a different seed', async ()=>{
        const other = await generate('seed-2', {
            seed: 2
        });
        for (const file of FILES){
            expect((await (0, _promises.readFile)((0, _nodepath.join)(other, file))).equals(await (0, _promises.readFile)((0, _nodepath.join)(dir, file)))).toBe(false);
        }
    });
    it('reports the active and inactive advertisers and the dates it wrote', async ()=>{
        const result = await (0, _sampledatagenerator.generateSampleData)({
            ...SMALL,
            outDir: (0, _nodepath.join)(root, 'result')
        });
        expect(result.activeAdvertisers).toHaveLength(20);
        expect(result.inactiveAdvertisers).toHaveLength(5);
        expect(result.dates).toEqual([
            '2022-02-27',
            '2022-02-28',
            '2022-03-01'
        ]);
    });
});

//# sourceMappingURL=sample-data.generator.spec.js.map