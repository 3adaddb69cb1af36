"use strict";
Object.defineProperty(exports, "__esModule", {
    value: true
});
Object.defineProperty(exports, "ResultsRepository", {
    enumerable: true,
    get: function() {
        return ResultsRepository;
    }
});
const _common = require("@nestjs/common");
const _pg = require("pg");
const _database = require("../../../libs/database/src");
function _ts_decorate(decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") {
        r = Reflect.decorate(decorators, target, key, desc);
    } else {
        for(var i = decorators.length - 1; i >= 0; i--){
            if (d = decorators[i]) {
                r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
            }
        }
    }
    return c > 3 && r && Object.defineProperty(target, key, r), r;
}
function _ts_metadata(metadataKey, metadataValue) {
    if (typeof Reflect === "object" && typeof Reflect.metadata === "function") {
        return Reflect.metadata(metadataKey, metadataValue);
    }
}
let ResultsRepository = class ResultsRepository {
    pool;
    constructor(pool){
        this.pool = pool;
    }
    async storeResults(results) {
        const unique = new Map();
        for (const r of results)unique.set(`${r.runId}\u0000${r.advertiserId}\u0000${r.model}`, r);
        // A stable lock order keeps two writers from deadlocking on the same rows.
        const batch = [
            ...unique.values()
        ].sort((a, b)=>a.runId !== b.runId ? a.runId < b.runId ? -1 : 1 : a.advertiserId < b.advertiserId ? -1 : a.advertiserId > b.advertiserId ? 1 : a.model < b.model ? -1 : 1);
        if (batch.length === 0) return {
            stored: 0,
            completed: []
        };
        return (0, _database.inTransaction)(this.pool, async (client)=>{
            const newlyDone = await client.query(`UPDATE run_jobs AS job SET done_at = now()
         FROM unnest($1::text[], $2::text[], $3::text[]) AS r(run_id, advertiser_id, model)
         WHERE job.run_id = r.run_id AND job.advertiser_id = r.advertiser_id AND job.model = r.model
           AND job.done_at IS NULL
         RETURNING job.run_id, job.advertiser_id, job.model`, [
                batch.map((r)=>r.runId),
                batch.map((r)=>r.advertiserId),
                batch.map((r)=>r.model)
            ]);
            const fresh = new Set(newlyDone.rows.map((row)=>`${row.run_id}\u0000${row.advertiser_id}\u0000${row.model}`));
            const toStore = batch.filter((r)=>fresh.has(`${r.runId}\u0000${r.advertiserId}\u0000${r.model}`));
            if (toStore.length === 0) return {
                stored: 0,
                completed: []
            };
            await client.query(`INSERT INTO recommendations (run_id, advertiser_id, model, items, clicks_without_impressions)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::jsonb[], $5::int[])
         ON CONFLICT (run_id, advertiser_id, model) DO UPDATE
           SET items = excluded.items, clicks_without_impressions = excluded.clicks_without_impressions`, [
                toStore.map((r)=>r.runId),
                toStore.map((r)=>r.advertiserId),
                toStore.map((r)=>r.model),
                toStore.map((r)=>JSON.stringify(r.items)),
                toStore.map((r)=>r.clicksWithoutImpressions)
            ]);
            const perRun = new Map();
            for (const r of toStore)perRun.set(r.runId, (perRun.get(r.runId) ?? 0) + 1);
            const progress = await client.query(`UPDATE runs SET jobs_done = jobs_done + p.done, first_result_at = COALESCE(first_result_at, now()), last_progress_at = now()
         FROM unnest($1::text[], $2::int[]) AS p(run_id, done)
         WHERE runs.run_id = p.run_id AND runs.status = 'running'
         RETURNING runs.run_id, runs.run_date, runs.triggered_at, runs.jobs_done, runs.jobs_total`, [
                [
                    ...perRun.keys()
                ],
                [
                    ...perRun.values()
                ]
            ]);
            const completed = [];
            for (const run of progress.rows){
                if (run.jobs_done === run.jobs_total) {
                    const published = await publishRun(client, run);
                    completed.push({
                        runId: run.run_id,
                        runDate: run.run_date,
                        published
                    });
                }
            }
            return {
                stored: toStore.length,
                completed
            };
        });
    }
};
ResultsRepository = _ts_decorate([
    (0, _common.Injectable)(),
    _ts_metadata("design:type", Function),
    _ts_metadata("design:paramtypes", [
        typeof _pg.Pool === "undefined" ? Object : _pg.Pool
    ])
], ResultsRepository);
/**
 * Makes a complete run the published run of its date, inside the caller's
 * transaction. The most recently triggered run of a date wins: a run that
 * completes after a newer run of the same date was published is marked
 * superseded and never replaces it. Returns whether it was published.
 */ async function publishRun(client, run) {
    const replaced = await client.query(`INSERT INTO publications (run_date, run_id, triggered_at, published_at)
     VALUES ($1, $2, $3, now())
     ON CONFLICT (run_date) DO UPDATE
       SET run_id = excluded.run_id, triggered_at = excluded.triggered_at, published_at = excluded.published_at
       WHERE publications.triggered_at <= excluded.triggered_at
     RETURNING run_id`, [
        run.run_date,
        run.run_id,
        run.triggered_at
    ]);
    const published = replaced.rowCount === 1;
    if (!published) {
        await client.query(`UPDATE runs SET status = 'superseded', finished_at = now() WHERE run_id = $1`, [
            run.run_id
        ]);
        return false;
    }
    await client.query(`UPDATE runs SET status = CASE WHEN run_id = $1 THEN 'published' ELSE 'superseded' END,
                     finished_at = CASE WHEN run_id = $1 THEN now() ELSE finished_at END
     WHERE run_date = $2 AND (run_id = $1 OR status = 'published')`, [
        run.run_id,
        run.run_date
    ]);
    await client.query(`INSERT INTO known_advertisers (advertiser_id, first_published_date)
     SELECT DISTINCT advertiser_id, $2::date FROM run_jobs WHERE run_id = $1
     ON CONFLICT (advertiser_id) DO UPDATE
       SET first_published_date = LEAST(known_advertisers.first_published_date, excluded.first_published_date)`, [
        run.run_id,
        run.run_date
    ]);
    // Delivered on commit, so a listener never sees a publication that rolled back.
    await client.query(`SELECT pg_notify($1, $2)`, [
        _database.PUBLICATION_CHANNEL,
        JSON.stringify({
            runDate: run.run_date,
            runId: run.run_id
        })
    ]);
    return true;
}

//# sourceMappingURL=results.repository.js.map