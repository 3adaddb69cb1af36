// The console's health strip: readiness and last poll of each process,
// queue backlogs and waits, time since the last publication. Separate from
// console.js on purpose; it only reads GET /console/api/health.
(() => {
  'use strict';
  /** A publication older than this is what the freshness alarm fires on. */
  const STALE_PUBLICATION_SECONDS = 26 * 3600;
  const REFRESH_MS = 15000;

  function ago(seconds) {
    if (seconds === null || seconds === undefined) return 'never';
    if (seconds < 90) return `${Math.round(seconds)} s ago`;
    if (seconds < 5400) return `${Math.round(seconds / 60)} min ago`;
    if (seconds < 172800) return `${(seconds / 3600).toFixed(1)} h ago`;
    return `${Math.round(seconds / 86400)} days ago`;
  }

  function item(tone, label, text, title) {
    const li = document.createElement('li');
    li.className = `health-item ${tone}`;
    if (title) li.title = title;
    const dot = document.createElement('span');
    dot.className = 'dot';
    dot.setAttribute('aria-hidden', 'true');
    const strong = document.createElement('strong');
    strong.textContent = label;
    const rest = document.createElement('span');
    rest.textContent = text;
    li.append(dot, strong, rest);
    return li;
  }

  function render(health) {
    const now = Date.now();
    const processes = document.getElementById('health-processes');
    processes.replaceChildren(
      ...(health.processes.length === 0
        ? [item('', 'processes', 'not configured (CONSOLE_OPS_TARGETS)')]
        : health.processes.map((p) => {
            const state =
              p.ready === null ? 'not answering' : p.ready ? (p.live ? 'ready' : 'ready, not live') : p.live ? 'not ready' : 'not live';
            const poll = p.lastPollAt ? `, polled ${ago((now - Date.parse(p.lastPollAt)) / 1000)}` : '';
            const tone = p.ready && p.live ? 'ok' : p.ready === null || p.live === false ? 'bad' : 'warn';
            return item(tone, p.name, `${state}${poll}`, p.detail);
          })),
    );
    const queues = document.getElementById('health-queues');
    queues.replaceChildren(
      ...(health.queues === null
        ? [item('warn', 'queues', 'SQS did not answer')]
        : health.queues.map((q) => {
            const wait = q.lastWaitSeconds === null ? '' : `, last wait ${q.lastWaitSeconds.toFixed(1)} s`;
            const tone = q.deadLettered > 0 ? 'bad' : 'ok';
            return item(tone, q.queue, `${q.visible} waiting${wait}${q.deadLettered > 0 ? `, ${q.deadLettered} dead-lettered` : ''}`);
          })),
    );
    const publication = document.getElementById('health-publication');
    const since = health.secondsSinceLastPublication;
    publication.textContent = since === null ? 'No run published yet' : `Last publication ${ago(since)}`;
    publication.classList.toggle('bad', since !== null && since > STALE_PUBLICATION_SECONDS);
  }

  async function refresh() {
    try {
      const response = await fetch('/console/api/health', { headers: { accept: 'application/json' } });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      render(await response.json());
    } catch (error) {
      document.getElementById('health-processes').replaceChildren(item('bad', 'health', `unavailable (${error.message})`));
    }
  }

  document.addEventListener('DOMContentLoaded', () => {
    refresh();
    setInterval(refresh, REFRESH_MS);
  });
})();
