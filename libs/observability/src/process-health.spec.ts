import { ProcessHealth } from './process-health';

describe('ProcessHealth', () => {
  let health: ProcessHealth;
  beforeEach(() => {
    health = new ProcessHealth(60);
  });
  afterEach(() => health.stop());

  it('is not ready before start-up is over, ready once consumers run and probes answer, and not ready again while draining', async () => {
    health.addReadinessProbe('sqs', () => Promise.resolve());
    health.consumerStarted('jobs');
    expect(await health.readiness()).toMatchObject({ status: 'not ready', checks: { startup: 'starting' } });
    health.markStarted();
    expect(await health.readiness()).toEqual({ status: 'ready', draining: false, checks: { startup: 'ok', sqs: 'ok' } });
    health.markDraining();
    expect(await health.readiness()).toMatchObject({ status: 'not ready', draining: true, checks: { draining: 'draining' } });
  });

  it('is not ready when a probe fails or a consumer stopped, and says which', async () => {
    health.markStarted();
    health.consumerStarted('results');
    health.addReadinessProbe('postgres', () => Promise.reject(new Error('connection refused')));
    health.consumerStopped('results');
    const report = await health.readiness();
    expect(report).toMatchObject({ status: 'not ready', checks: { postgres: 'connection refused', consumers: 'not consuming: results' } });
  });

  it('is live while polls are recent or a batch is young, and not when polls stopped or a batch is stuck', () => {
    const t0 = Date.parse('2026-12-02T00:00:00Z');
    health.consumerStarted('trigger');
    health.polled('trigger', t0);
    expect(health.liveness(t0 + 59_000)).toMatchObject({ status: 'ok', problems: [] });
    expect(health.liveness(t0 + 61_000)).toMatchObject({ status: 'unhealthy', problems: ['trigger: no receive completed for 61 s'] });
    // A consumer does not poll while its handler runs: a batch in flight is activity, up to the same limit.
    health.batchStarted('trigger', t0 + 1_000);
    expect(health.liveness(t0 + 61_000).status).toBe('ok');
    expect(health.liveness(t0 + 62_000)).toMatchObject({ status: 'unhealthy', problems: ['trigger: a batch has been handled for 61 s'] });
    health.batchFinished('trigger', t0 + 1_000);
    expect(health.liveness(Date.now()).status).toBe('ok');
  });

  it('fails liveness when an extra check fails (the scheduler without a next run)', () => {
    health.addLivenessCheck('schedule', () => ({ ok: false, detail: 'the cron has no next run' }));
    expect(health.liveness()).toMatchObject({ status: 'unhealthy', problems: ['schedule: the cron has no next run'] });
  });
});
