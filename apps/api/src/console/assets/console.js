// adrec operator console: plain browser JavaScript, no framework, no build step.
// Reads the public API (/runs, /recommendations, /history) and /console/api/*;
// operator actions send the token typed in the top bar as a bearer token.
(() => {
  'use strict';

  /** Poll quickly while a run is in progress, slowly otherwise (new nightly runs still show up). */
  const POLL_ACTIVE_MS = 2000;
  const POLL_IDLE_MS = 15000;
  const RUNS_SHOWN = 100;
  const HISTORY_CHIPS = 10;
  const IN_PROGRESS = new Set(['ingesting', 'running']);
  /** Statuses of a run with every list stored: a version that can be published. */
  const COMPLETE = new Set(['published', 'superseded', 'staged']);
  const VIEWS = ['runs', 'queues', 'advertiser', 'evaluation'];

  const state = {
    settings: { operatorActions: false, stuckAfterSeconds: 900, windowDays: 1 },
    runs: [],
    runsError: null,
    queues: null,
    queuesError: null,
    advertisers: null,
    /** runDate -> runId of the run each date serves (newest published run of the date). */
    live: new Map(),
    liveSignature: '',
    pending: new Map(),
    knownRunIds: null,
    shownKey: null,
    timer: undefined,
    refreshing: null,
    lastUpdate: null,
    token: '',
    /** Runs started from this page: poll quickly until they are recorded and finish. */
    awaited: new Set(),
    /** runId -> the publication change that made a pinned run the served one (GET /runs/{runId}). */
    pinNotes: new Map(),
  };

  const $ = (selector) => document.querySelector(selector);
  const number = new Intl.NumberFormat('en-US');
  const percent = new Intl.NumberFormat('en-US', { style: 'percent', minimumFractionDigits: 2, maximumFractionDigits: 2 });

  /** Builds an element; children are nodes or text (never parsed as HTML). */
  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes ?? {})) {
      if (value === undefined || value === null || value === false) continue;
      if (name === 'class') node.className = value;
      else if (name === 'style') node.setAttribute('style', value);
      else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? '' : String(value));
    }
    for (const child of children.flat()) {
      if (child === undefined || child === null || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  class ApiError extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  async function api(path, options = {}) {
    const response = await fetch(path, { ...options, headers: { accept: 'application/json', ...(options.headers ?? {}) } });
    let body;
    try {
      body = await response.json();
    } catch {
      body = null; // an answer without a JSON body (a proxy's error page)
    }
    if (!response.ok) throw new ApiError(response.status, body?.message ?? response.statusText);
    return body;
  }

  function seconds(value) {
    if (value === null || value === undefined) return '–';
    if (value < 60) return `${value < 10 ? value.toFixed(1) : Math.round(value)} s`;
    const minutes = Math.floor(value / 60);
    const rest = Math.round(value % 60);
    return rest === 0 ? `${minutes} min` : `${minutes} min ${String(rest).padStart(2, '0')} s`;
  }

  function clock(iso) {
    return iso ? new Date(iso).toLocaleTimeString('en-GB', { hour12: false }) : '';
  }

  function notify(message, tone, runId) {
    const notice = $('#notice');
    notice.textContent = message;
    notice.className = `notice ${tone ?? ''}`;
    if (runId) notice.dataset.runId = runId;
    else delete notice.dataset.runId;
    notice.hidden = false;
  }

  // ---------------------------------------------------------------- views

  function currentView() {
    const name = location.hash.replace(/^#/, '').split('?')[0];
    return VIEWS.includes(name) ? name : 'runs';
  }

  function showView(focusHeading) {
    const view = currentView();
    for (const section of document.querySelectorAll('[data-view]')) section.hidden = section.dataset.view !== view;
    for (const link of document.querySelectorAll('[data-view-link]')) {
      if (link.dataset.viewLink === view) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
    document.title = `${view[0].toUpperCase()}${view.slice(1)} · adrec console`;
    if (focusHeading) {
      const heading = $(`#view-${view} h1`);
      heading.setAttribute('tabindex', '-1');
      heading.focus();
    }
    if (view === 'advertiser') void showAdvertiser();
  }

  // ---------------------------------------------------------------- refresh loop

  function refresh() {
    state.refreshing ??= doRefresh().finally(() => {
      state.refreshing = null;
    });
    return state.refreshing;
  }

  async function doRefresh() {
    clearTimeout(state.timer);
    const [runs, queues] = await Promise.allSettled([api(`/runs?limit=${RUNS_SHOWN}`), api('/console/api/queues')]);
    if (runs.status === 'fulfilled') {
      state.runs = runs.value.runs;
      state.runsError = null;
    } else {
      state.runsError = runs.reason.message;
    }
    if (queues.status === 'fulfilled') {
      state.queues = queues.value.queues;
      state.queuesError = null;
    } else {
      state.queuesError = queues.reason.message;
    }
    computeLive();
    await Promise.all([loadStuckReasons(), loadPinNotes()]);
    renderRuns();
    renderQueues();
    if (state.liveSignature !== state.advertisersSignature) await loadAdvertisers();
    state.lastUpdate = new Date();
    for (const runId of state.awaited) {
      const run = state.runs.find((r) => r.runId === runId);
      if (run && !IN_PROGRESS.has(run.status)) state.awaited.delete(runId);
    }
    const active = state.awaited.size > 0 || state.runs.some((run) => IN_PROGRESS.has(run.status));
    const delay = active ? POLL_ACTIVE_MS : POLL_IDLE_MS;
    $('#refresh-state').textContent = active
      ? `Run in progress · refreshing every ${delay / 1000} s · updated ${clock(state.lastUpdate.toISOString())}`
      : `Updated ${clock(state.lastUpdate.toISOString())} · next in ${delay / 1000} s`;
    state.timer = setTimeout(() => void refresh(), delay);
  }

  /** Why each pinned run serves its date: the latest publication change of the run (how, when, reason). */
  async function loadPinNotes() {
    const pinned = state.runs.filter((run) => run.pinned && !state.pinNotes.has(run.runId));
    await Promise.all(
      pinned.map(async (run) => {
        try {
          const detail = await api(`/runs/${encodeURIComponent(run.runId)}`);
          const change = detail.publications.find((event) => event.runId === run.runId && event.how !== 'unpin');
          if (change) state.pinNotes.set(run.runId, change);
        } catch {
          // The note is a courtesy; the run row still shows "pinned".
        }
      }),
    );
  }

  /** The run a date serves is its most recently triggered published run (the writer's rule). */
  function computeLive() {
    const live = new Map();
    const byTrigger = [...state.runs].sort((a, b) => (a.timings.triggeredAt < b.timings.triggeredAt ? 1 : -1));
    for (const run of byTrigger) if (run.status === 'published' && !live.has(run.runDate)) live.set(run.runDate, run.runId);
    state.live = live;
    state.liveSignature = [...live]
      .sort()
      .map((pair) => pair.join('='))
      .join(',');
  }

  async function loadStuckReasons() {
    const stuck = state.runs.filter((run) => run.status === 'stuck');
    await Promise.all(
      stuck.map(async (run) => {
        try {
          state.pending.set(run.runId, await api(`/console/api/runs/${encodeURIComponent(run.runId)}/pending`));
        } catch {
          state.pending.delete(run.runId);
        }
      }),
    );
  }

  // ---------------------------------------------------------------- runs view

  function renderRuns() {
    const body = $('#runs-body');
    if (state.runsError) {
      body.replaceChildren(el('tr', {}, el('td', { colspan: 8, class: 'error' }, `Runs could not be loaded: ${state.runsError}`)));
      return;
    }
    const runs = [...state.runs].sort((a, b) =>
      a.runDate === b.runDate ? (a.timings.triggeredAt < b.timings.triggeredAt ? 1 : -1) : a.runDate < b.runDate ? 1 : -1,
    );
    const counts = {};
    for (const run of runs) counts[run.status] = (counts[run.status] ?? 0) + 1;
    $('#runs-summary').textContent = runs.length
      ? `${runs.length} recent runs over ${new Set(runs.map((r) => r.runDate)).size} dates: ` +
        Object.entries(counts)
          .map(([status, n]) => `${n} ${status}`)
          .join(', ')
      : 'No run yet. Trigger one with `adrec trigger --date D`, or re-run a date here.';

    const firstOfDate = new Set();
    const rows = runs.map((run) => {
      const older = firstOfDate.has(run.runDate);
      firstOfDate.add(run.runDate);
      return runRow(run, older);
    });
    if (rows.length === 0) rows.push(el('tr', {}, el('td', { colspan: 8, class: 'muted' }, 'No runs.')));
    const isNew = (id) => state.knownRunIds && !state.knownRunIds.has(id);
    for (const row of rows) if (row.dataset.runId && isNew(row.dataset.runId)) row.classList.add('flash');
    state.knownRunIds = new Set(runs.map((r) => r.runId));
    body.replaceChildren(...rows);
    renderStrip(runs);
  }

  function runRow(run, older) {
    const live = state.live.get(run.runDate);
    const replaced = run.status === 'published' && live !== run.runId;
    const done = run.progress.jobsDone;
    const total = run.progress.jobsTotal;
    const share = total ? done / total : 0;
    const active = IN_PROGRESS.has(run.status);
    return el(
      'tr',
      {
        id: `run-${run.runId}`,
        class: older ? 'older' : undefined,
        'data-run-id': run.runId,
        'data-status': run.status,
        'data-date': run.runDate,
      },
      el('td', { class: 'mono nowrap' }, run.runDate),
      el(
        'td',
        {},
        el('code', {}, run.runId),
        el(
          'div',
          { class: 'muted small' },
          `triggered ${clock(run.timings.triggeredAt)}${run.windowDays > 1 ? ` · ${run.windowDays}-day window` : ''}`,
        ),
      ),
      el(
        'td',
        {},
        el('span', { class: `badge status-${replaced ? 'superseded' : run.status}`, 'data-status-badge': run.status }, run.status),
        replaced
          ? el('div', { class: 'muted small' }, 'replaced by a newer run')
          : live === run.runId
            ? el('div', { class: 'muted small' }, run.pinned ? 'serving · pinned' : 'serving')
            : null,
      ),
      el(
        'td',
        {},
        total === null
          ? el('span', { class: 'muted' }, run.status === 'failed' ? '–' : 'ingesting…')
          : `${number.format(done)} / ${number.format(total)} jobs`,
        total === null
          ? null
          : el(
              'div',
              { class: `meter${active ? ' active' : ''}`, role: 'img', 'aria-label': `${Math.round(share * 100)}% of jobs done` },
              el('span', { style: `width:${(share * 100).toFixed(1)}%` }),
            ),
      ),
      el('td', {}, stages(run)),
      el('td', {}, inputCounts(run.inputCounts)),
      el('td', {}, badLines(run.badLines)),
      el('td', { class: 'notes' }, notes(run, replaced, live), warnings(run), versionButtons(run, live)),
    );
  }

  /** Publish (any complete run that does not serve), roll back and unpin (the serving run): operator actions only. */
  function versionButtons(run, live) {
    if (!state.settings.operatorActions || !COMPLETE.has(run.status)) return null;
    const serving = live === run.runId;
    const buttons = serving
      ? [
          el(
            'button',
            {
              type: 'button',
              'data-action': 'rollback',
              'aria-label': `Roll ${run.runDate} back to the run published before ${run.runId}`,
              onclick: () => void versionAction('rollback', { date: run.runDate }),
            },
            'Roll back',
          ),
          run.pinned
            ? el(
                'button',
                {
                  type: 'button',
                  'data-action': 'unpin',
                  'aria-label': `Unpin ${run.runDate}`,
                  onclick: () => void versionAction('unpin', { date: run.runDate }),
                },
                'Unpin',
              )
            : null,
        ]
      : [
          el(
            'button',
            {
              type: 'button',
              'data-action': 'publish',
              'aria-label': `Publish run ${run.runId} for ${run.runDate}`,
              onclick: () => void versionAction('publish', { runId: run.runId }),
            },
            'Publish',
          ),
        ];
    return el('div', { class: 'version-buttons' }, buttons);
  }

  function stages(run) {
    const t = run.timings;
    const now = Date.now();
    const at = (iso) => (iso ? new Date(iso).getTime() : null);
    const ingestEnd = at(t.ingestFinishedAt) ?? (IN_PROGRESS.has(run.status) ? now : null);
    const ingest = at(t.ingestStartedAt) && ingestEnd ? (ingestEnd - at(t.ingestStartedAt)) / 1000 : null;
    const modelsEnd = at(t.finishedAt) ?? (IN_PROGRESS.has(run.status) ? now : null);
    const models = at(t.ingestFinishedAt) && modelsEnd ? (modelsEnd - at(t.ingestFinishedAt)) / 1000 : null;
    const total = t.totalSeconds ?? (IN_PROGRESS.has(run.status) ? (now - at(t.triggeredAt)) / 1000 : null);
    const span = total || 1;
    return el(
      'div',
      {},
      el('div', { class: 'small stage-text' }, `ingest ${seconds(ingest)} · models ${seconds(models)} · total ${seconds(total)}`),
      el(
        'div',
        { class: 'stages', 'aria-hidden': 'true' },
        el('span', { class: 'ingest', style: `width:${(((ingest ?? 0) / span) * 100).toFixed(1)}%` }),
        el('span', { class: 'models', style: `width:${(((models ?? 0) / span) * 100).toFixed(1)}%` }),
      ),
    );
  }

  function inputCounts(counts) {
    if (!counts || Object.keys(counts).length === 0) return el('span', { class: 'muted' }, '–');
    const pairs = [
      [
        'product views',
        counts.productViewLines,
        counts.productViewsKept !== undefined ? `${number.format(counts.productViewsKept)} kept` : null,
      ],
      [
        'ad events',
        counts.adEventLines,
        counts.impressionsKept !== undefined
          ? `${number.format(counts.impressionsKept)} imp · ${number.format(counts.clicksKept ?? 0)} clk`
          : null,
      ],
      ['advertisers', counts.activeAdvertisers, null],
    ].filter(([, value]) => value !== undefined);
    return el(
      'dl',
      { class: 'kv' },
      pairs.flatMap(([label, value, detail]) => [
        el('dt', {}, label),
        el('dd', {}, number.format(value), detail ? el('span', { class: 'muted' }, ` (${detail})`) : null),
      ]),
    );
  }

  function badLines(counts) {
    const total = counts?.total ?? 0;
    const reasons = Object.entries(counts ?? {}).filter(([reason, n]) => reason !== 'total' && n > 0);
    return el(
      'div',
      {},
      el('span', { class: total > 0 ? 'error' : 'muted' }, number.format(total)),
      reasons.length
        ? el('div', { class: 'small muted' }, reasons.map(([reason, n]) => `${reason.replace(/_/g, ' ')} ${number.format(n)}`).join(' · '))
        : null,
    );
  }

  function notes(run, replaced, live) {
    if (run.status === 'failed') {
      return el(
        'div',
        { class: 'reason failed' },
        run.error ? [el('code', {}, run.error.code), ' ', run.error.message] : 'failed (no message recorded)',
      );
    }
    if (run.status === 'stuck') {
      const pending = state.pending.get(run.runId);
      const jobs = pending
        ? `${number.format(pending.total)} of ${number.format(run.progress.jobsTotal ?? 0)} jobs have no result` +
          (pending.sample.length
            ? ` (${pending.sample.map((j) => `${j.advertiserId}/${j.model}`).join(', ')}${pending.total > pending.sample.length ? ', …' : ''})`
            : '')
        : 'jobs are missing';
      const stage =
        run.progress.jobsTotal === null
          ? `Ingest has not finished after ${seconds(state.settings.stuckAfterSeconds)}`
          : `No job has finished for over ${seconds(state.settings.stuckAfterSeconds)}; ${jobs}`;
      return el('div', { class: 'reason stuck' }, `${stage}. Look for dead-lettered messages on the Queues view and redrive them.`);
    }
    if (replaced) return el('div', { class: 'muted small' }, `${live} serves ${run.runDate}`);
    if (run.status === 'superseded') {
      return el(
        'div',
        { class: 'muted small' },
        live ? `replaced: ${live} serves ${run.runDate}` : 'replaced by a more recently triggered run of this date',
      );
    }
    if (run.status === 'staged')
      return el('div', { class: 'muted small' }, 'complete, not published: compare with adrec diff, then publish');
    if (run.pinned) {
      const change = state.pinNotes.get(run.runId);
      return el(
        'div',
        { class: 'muted small', 'data-pin-note': run.runId },
        change ? `pinned by ${change.how} ${clock(change.at)}${change.reason ? `: “${change.reason}”` : ''}` : 'pinned',
      );
    }
    if (run.status === 'ingesting') return el('div', { class: 'muted small' }, 'reading logs');
    if (run.status === 'running') return el('div', { class: 'muted small' }, 'models running');
    return null;
  }

  /** Input drift warnings (they do not stop publication unless DRIFT_FAILS_RUN is set). */
  function warnings(run) {
    if (!run.warnings || run.warnings.length === 0) return null;
    return el(
      'ul',
      { class: 'warnings', 'aria-label': `${run.warnings.length} input drift warning(s)` },
      run.warnings.map((w) => el('li', { 'data-warning': w.code }, el('code', {}, w.code), ' ', w.message)),
    );
  }

  function renderStrip(runs) {
    const newestOfDate = new Map();
    for (const run of runs) if (!newestOfDate.has(run.runDate)) newestOfDate.set(run.runDate, run);
    const dates = [...newestOfDate.keys()].sort().slice(-31);
    $('#date-strip').replaceChildren(
      ...dates.map((date) => {
        const run = newestOfDate.get(date);
        return el(
          'li',
          {},
          el(
            'button',
            {
              type: 'button',
              class: `status-${run.status}`,
              title: `${date}: ${run.status}`,
              'aria-label': `${date}: ${run.status}`,
              onclick: () => {
                const row = document.getElementById(`run-${run.runId}`);
                row?.scrollIntoView({ block: 'center' });
                row?.classList.remove('flash');
                void row?.offsetWidth;
                row?.classList.add('flash');
              },
            },
            date.slice(8),
          ),
        );
      }),
    );
  }

  // ---------------------------------------------------------------- queues view

  function renderQueues() {
    const error = $('#queues-error');
    error.hidden = !state.queuesError;
    error.textContent = state.queuesError ? `Queue depths could not be read: ${state.queuesError}` : '';
    if (!state.queues) return;
    const actions = state.settings.operatorActions;
    const rows = state.queues.map((q) =>
      el(
        'tr',
        { 'data-queue': q.queue },
        el('th', { scope: 'row' }, el('code', {}, q.queue)),
        el('td', { class: 'num' }, number.format(q.visible)),
        el('td', { class: 'num' }, number.format(q.inFlight)),
        el('td', { class: `num${q.deadLettered > 0 ? ' error' : ''}` }, number.format(q.deadLettered)),
        el(
          'td',
          {},
          actions
            ? el(
                'button',
                {
                  type: 'button',
                  class: 'secondary',
                  'data-redrive': q.queue,
                  disabled: q.deadLettered === 0,
                  onclick: () => void redrive(q.queue),
                },
                `Redrive ${q.queue} DLQ`,
              )
            : null,
        ),
      ),
    );
    $('#queues-body').replaceChildren(...rows);
  }

  // ---------------------------------------------------------------- advertiser view

  async function loadAdvertisers() {
    try {
      state.advertisers = await api('/console/api/advertisers');
      state.advertisersSignature = state.liveSignature;
    } catch (error) {
      $('#advertiser-count').textContent = `Advertisers could not be loaded: ${error.message}`;
      return;
    }
    const { advertisers, dates, date } = state.advertisers;
    const advertiserSelect = $('#advertiser-select');
    const dateSelect = $('#date-select');
    const keepAdvertiser = advertiserSelect.value;
    const keepDate = dateSelect.value;
    advertiserSelect.replaceChildren(...advertisers.map((id) => el('option', { value: id }, id)));
    dateSelect.replaceChildren(...dates.map((d) => el('option', { value: d }, d)));
    if (advertisers.includes(keepAdvertiser)) advertiserSelect.value = keepAdvertiser;
    if (dates.includes(keepDate)) dateSelect.value = keepDate;
    $('#advertiser-count').textContent = advertisers.length
      ? `${advertisers.length} advertisers in the latest published run (${date})`
      : 'No run has been published yet.';
    state.shownKey = null;
    if (currentView() === 'advertiser') await showAdvertiser();
  }

  async function showAdvertiser() {
    const advertiserId = $('#advertiser-select').value;
    const date = $('#date-select').value;
    if (!advertiserId || !date) return;
    const key = `${advertiserId}|${date}|${state.live.get(date) ?? ''}`;
    if (key === state.shownKey) return;
    state.shownKey = key;
    const id = encodeURIComponent(advertiserId);
    try {
      const [topProduct, topCtr, history] = await Promise.all([
        api(`/recommendations/${id}/top_product?date=${date}`),
        api(`/recommendations/${id}/top_ctr?date=${date}`),
        api(`/history/${id}?days=7`),
      ]);
      if (state.shownKey !== key) return;
      renderLists(topProduct, topCtr);
      renderHistory(history, date);
      // evaluation.js adds the advertiser's next-day numbers.
      document.dispatchEvent(new CustomEvent('adrec:advertiser-shown', { detail: { advertiserId, date } }));
    } catch (error) {
      state.shownKey = null;
      $('#overlap-summary').textContent = `The lists could not be loaded: ${error.message}`;
    }
  }

  function overlapOf(a, b) {
    const left = new Set(a.map((item) => item.productId));
    const right = new Set(b.map((item) => item.productId));
    const both = [...left].filter((id) => right.has(id));
    const union = new Set([...left, ...right]).size;
    return { both: new Set(both), jaccard: union === 0 ? 0 : both.length / union };
  }

  function renderLists(topProduct, topCtr) {
    const { both, jaccard } = overlapOf(topProduct.items, topCtr.items);
    const summary = $('#overlap-summary');
    summary.replaceChildren(
      el('span', { class: 'swatch', 'aria-hidden': 'true' }),
      both.size
        ? `${both.size} product${both.size === 1 ? '' : 's'} in both lists (Jaccard overlap ${jaccard.toFixed(2)}), highlighted and marked ◆: `
        : 'No product is in both lists. ',
      ...[...both].map((id) => el('code', { class: 'chip' }, id)),
      el('span', { class: 'muted' }, ` · run ${topProduct.runId}`),
    );
    summary.dataset.overlap = [...both].join(',');

    const maxViews = Math.max(1, ...topProduct.items.map((item) => item.views));
    fillList('top_product', topProduct.items, both, (item) => bar('views', item.views / maxViews, `${number.format(item.views)} views`));
    const maxCtr = Math.max(1e-9, ...topCtr.items.map((item) => item.ctr));
    fillList('top_ctr', topCtr.items, both, (item) =>
      bar('ctr', item.ctr / maxCtr, `${percent.format(item.ctr)} (${number.format(item.clicks)} / ${number.format(item.impressions)})`),
    );
  }

  function bar(kind, share, text) {
    return el(
      'div',
      { class: `bar ${kind}` },
      el('span', { class: 'fill', style: `width:${Math.max(0.5, share * 70).toFixed(1)}%`, 'aria-hidden': 'true' }),
      el('span', { class: 'value' }, text),
    );
  }

  function fillList(model, items, both, cell) {
    const body = $(`#list-${model} tbody`);
    if (items.length === 0) {
      body.replaceChildren(el('tr', {}, el('td', { colspan: 3, class: 'empty' }, 'Nothing to recommend for this date.')));
      return;
    }
    body.replaceChildren(
      ...items.map((item) =>
        el(
          'tr',
          { class: both.has(item.productId) ? 'both' : undefined, 'data-product-id': item.productId, 'data-rank': item.rank },
          el('td', { class: 'num' }, item.rank),
          el(
            'td',
            {},
            el('code', {}, item.productId),
            both.has(item.productId)
              ? el('span', { class: 'both-mark', title: 'in both lists' }, '◆', el('span', { class: 'visually-hidden' }, ' in both lists'))
              : null,
          ),
          el('td', { class: 'bar-cell' }, cell(item)),
        ),
      ),
    );
  }

  function renderHistory(history, selectedDate) {
    const entries = history.history;
    const rows = entries.map((entry, index) => {
      const previous = entries[index + 1];
      const chips = (model) => {
        const before = previous ? new Set(previous[model].map((item) => item.productId)) : null;
        const items = entry[model];
        if (items.length === 0) return el('span', { class: 'muted' }, 'empty');
        const added = before ? items.filter((item) => !before.has(item.productId)).length : null;
        return el(
          'div',
          {},
          el(
            'div',
            { class: 'chips' },
            items.slice(0, HISTORY_CHIPS).map((item) => {
              const isNew = before && !before.has(item.productId);
              return el(
                'span',
                { class: `chip${isNew ? ' new' : ''}` },
                item.productId,
                isNew ? el('span', { class: 'visually-hidden' }, ' (new)') : null,
              );
            }),
          ),
          el('div', { class: 'muted small' }, `${items.length} products${added === null ? '' : ` · ${added} new`}`),
        );
      };
      const { both, jaccard } = overlapOf(entry.top_product, entry.top_ctr);
      return el(
        'tr',
        { class: entry.date === selectedDate ? 'selected-date' : undefined, 'data-date': entry.date },
        el(
          'th',
          { scope: 'row', class: 'mono' },
          entry.date,
          entry.date === selectedDate ? el('div', { class: 'muted small' }, 'shown above') : null,
        ),
        el('td', {}, chips('top_product')),
        el('td', {}, chips('top_ctr')),
        el('td', { class: 'num' }, `${both.size}`, el('div', { class: 'muted small' }, `Jaccard ${jaccard.toFixed(2)}`)),
      );
    });
    $('#history-table tbody').replaceChildren(
      ...(rows.length ? rows : [el('tr', {}, el('td', { colspan: 4, class: 'empty' }, 'No published date yet.'))]),
    );
  }

  // ---------------------------------------------------------------- operator actions

  function authHeaders() {
    return state.token ? { authorization: `Bearer ${state.token}` } : {};
  }

  async function rerun(event) {
    event.preventDefault();
    const date = $('#rerun-date').value;
    if (!date) return;
    const button = $('#rerun-form button');
    button.disabled = true;
    try {
      const stage = $('#rerun-stage').checked;
      const trigger = await api('/console/api/rerun', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...authHeaders() },
        body: JSON.stringify(stage ? { date, stage } : { date }),
      });
      state.awaited.add(trigger.runId);
      notify(`Re-run of ${trigger.runDate} started as run ${trigger.runId}. This page refreshes while it runs.`, 'good', trigger.runId);
      await refresh();
    } catch (error) {
      notify(`Re-run refused (${error.status ?? 'network'}): ${error.message}`, 'bad');
    } finally {
      button.disabled = false;
    }
  }

  const VERSION_VERBS = { publish: 'Publish', rollback: 'Roll back', unpin: 'Unpin' };

  async function versionAction(action, body) {
    const reason = $('#publish-reason').value.trim();
    try {
      const outcome = await api(`/console/api/${action}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...authHeaders() },
        body: JSON.stringify(reason ? { ...body, reason } : body),
      });
      state.pinNotes.clear();
      const message =
        action === 'unpin'
          ? `${body.date} is no longer pinned; ${outcome.runId} stays published.`
          : outcome.changed
            ? `${outcome.runId} now serves ${outcome.runDate}${outcome.previousRunId ? ` (was ${outcome.previousRunId})` : ''}; the date is pinned.`
            : `${outcome.runId} already serves ${outcome.runDate}.`;
      notify(message, 'good', outcome.runId);
      await refresh();
    } catch (error) {
      notify(`${VERSION_VERBS[action]} refused (${error.status ?? 'network'}): ${error.message}`, 'bad');
    }
  }

  async function redrive(queue) {
    try {
      const result = await api('/console/api/redrive', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...authHeaders() },
        body: JSON.stringify(queue ? { queue } : {}),
      });
      const done = result.redriven.map((r) =>
        r.method === 'copy' ? `${r.queue}: ${r.moved} moved back` : `${r.queue}: move task started`,
      );
      notify(`Redrive: ${done.join('; ')}.`, 'good');
      await refresh();
    } catch (error) {
      notify(`Redrive refused (${error.status ?? 'network'}): ${error.message}`, 'bad');
    }
  }

  // ---------------------------------------------------------------- start

  async function start() {
    try {
      state.settings = await api('/console/api/settings');
    } catch {
      // Keep the defaults: actions hidden.
    }
    const actions = state.settings.operatorActions;
    $('#token-form').hidden = !actions;
    $('#rerun-form').hidden = !actions;
    $('#version-actions').hidden = !actions;
    $('#actions-off').hidden = actions;
    $('#rerun-date').value = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    $('#rerun-date').max = new Date().toISOString().slice(0, 10);

    $('#token').addEventListener('input', (event) => {
      state.token = event.target.value.trim();
    });
    $('#token-form').addEventListener('submit', (event) => event.preventDefault());
    $('#rerun-form').addEventListener('submit', (event) => void rerun(event));
    $('#refresh-now').addEventListener('click', () => void refresh());
    $('#advertiser-select').addEventListener('change', () => void showAdvertiser());
    $('#date-select').addEventListener('change', () => void showAdvertiser());
    window.addEventListener('hashchange', () => showView(true));

    showView(false);
    await refresh();
  }

  document.addEventListener('DOMContentLoaded', () => void start());
})();
