// adrec operator console, next-day evaluation (SPEC section 6): the Evaluation
// view's chart and table (GET /evaluation) and the advertiser view's numbers
// (GET /evaluation/{advertiserId}). Plain browser JavaScript, no build step.
(() => {
  'use strict';

  const MODELS = [
    { name: 'top_product', label: 'top_product', colour: 'var(--bar-views)' },
    { name: 'top_ctr', label: 'top_ctr', colour: 'var(--bar-ctr)' },
  ];
  const SVG = 'http://www.w3.org/2000/svg';
  const WIDTH = 760;
  const HEIGHT = 260;
  const PAD = { left: 48, right: 16, top: 12, bottom: 36 };

  const $ = (selector) => document.querySelector(selector);
  const pct = (rate) => (rate === null || rate === undefined ? '–' : `${(rate * 100).toFixed(1)}%`);
  const number = new Intl.NumberFormat('en-US');

  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes ?? {})) {
      if (value === undefined || value === null || value === false) continue;
      if (name === 'class') node.className = value;
      else node.setAttribute(name, value === true ? '' : String(value));
    }
    for (const child of children.flat()) {
      if (child === undefined || child === null || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function svg(tag, attributes, ...children) {
    const node = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attributes ?? {})) node.setAttribute(name, String(value));
    for (const child of children.flat()) if (child) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    return node;
  }

  async function getJson(path) {
    const response = await fetch(path, { headers: { accept: 'application/json' } });
    const body = await response.json().catch(() => null);
    if (!response.ok) throw new Error(body?.message ?? response.statusText);
    return body;
  }

  // ---------------------------------------------------------------- evaluation view

  async function showEvaluationView() {
    if (location.hash !== '#evaluation') return;
    const status = $('#evaluation-status');
    try {
      const { dates } = await getJson('/evaluation');
      renderChart(dates);
      renderTable(dates);
      const done = dates.filter((d) => d.status === 'done').length;
      status.textContent = dates.length
        ? `${done} of the last ${dates.length} published dates evaluated; ${dates.length - done} pending (their next day not ingested yet).`
        : 'No published date yet.';
    } catch (error) {
      status.textContent = `The evaluation could not be loaded: ${error.message}`;
    }
  }

  /** Hit rate per model over the evaluated dates (solid), each with its baseline (dashed). */
  function renderChart(dates) {
    const points = dates.filter((d) => d.status === 'done').reverse();
    const chart = $('#evaluation-chart');
    if (points.length === 0) {
      chart.replaceChildren(el('p', { class: 'muted' }, 'Nothing evaluated yet: a date is evaluated once the next day has been ingested.'));
      return;
    }
    const rates = points
      .flatMap((d) => MODELS.flatMap((m) => [d.models[m.name].hitRate, d.models[m.name].baselineHitRate]))
      .filter((r) => r !== null);
    // The axis ends on a round 5% above the highest rate.
    const top = Math.max(0.05, Math.ceil((Math.max(0, ...rates) * 1.05) / 0.05) * 0.05);
    const x = (i) =>
      PAD.left + (points.length === 1 ? (WIDTH - PAD.left - PAD.right) / 2 : (i * (WIDTH - PAD.left - PAD.right)) / (points.length - 1));
    const y = (rate) => PAD.top + (1 - rate / top) * (HEIGHT - PAD.top - PAD.bottom);
    const grid = [0, 0.25, 0.5, 0.75, 1].map((share) => {
      const rate = share * top;
      return svg(
        'g',
        {},
        svg('line', { x1: PAD.left, x2: WIDTH - PAD.right, y1: y(rate), y2: y(rate), class: 'grid' }),
        svg('text', { x: PAD.left - 6, y: y(rate) + 4, 'text-anchor': 'end', class: 'axis' }, pct(rate)),
      );
    });
    const every = Math.max(1, Math.ceil(points.length / 10));
    const labels = points.map((d, i) =>
      i % every === 0 || i === points.length - 1
        ? svg('text', { x: x(i), y: HEIGHT - PAD.bottom + 18, 'text-anchor': 'middle', class: 'axis' }, d.date.slice(5))
        : null,
    );
    const series = MODELS.flatMap((m) =>
      [false, true].map((baseline) => {
        const key = baseline ? 'baselineHitRate' : 'hitRate';
        const path = points
          .map((d, i) => [i, d.models[m.name][key]])
          .filter(([, rate]) => rate !== null)
          .map(([i, rate], k) => `${k === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(rate).toFixed(1)}`)
          .join(' ');
        const dots = baseline
          ? []
          : points.map((d, i) => {
              const rate = d.models[m.name].hitRate;
              return rate === null
                ? null
                : svg(
                    'circle',
                    { cx: x(i), cy: y(rate), r: 3.5, fill: m.colour },
                    svg(
                      'title',
                      {},
                      `${d.date} ${m.label}: ${pct(rate)} (${d.models[m.name].hits}/${d.models[m.name].events}); baseline ${pct(d.models[m.name].baselineHitRate)}`,
                    ),
                  );
            });
        return svg(
          'g',
          { 'data-series': `${m.name}${baseline ? '-baseline' : ''}` },
          svg('path', {
            d: path,
            fill: 'none',
            stroke: m.colour,
            'stroke-width': baseline ? 1.5 : 2.5,
            'stroke-dasharray': baseline ? '5 4' : 'none',
          }),
          dots,
        );
      }),
    );
    const figure = svg(
      'svg',
      { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img', 'aria-labelledby': 'evaluation-chart-title', class: 'evaluation-chart' },
      svg(
        'title',
        { id: 'evaluation-chart-title' },
        'Next-day hit rate per model and of its baseline, per published date; the table below has the numbers',
      ),
      grid,
      labels,
      series,
    );
    const legend = el(
      'ul',
      { class: 'legend', 'aria-label': 'Chart lines' },
      MODELS.flatMap((m) => [
        el('li', {}, el('span', { class: 'line-key', style: `border-top: 3px solid ${m.colour}` }), `${m.label} hit rate`),
        el('li', {}, el('span', { class: 'line-key', style: `border-top: 2px dashed ${m.colour}` }), `${m.label} baseline`),
      ]),
    );
    chart.replaceChildren(figure, legend);
  }

  function renderTable(dates) {
    const rows = dates.map((d) =>
      el(
        'tr',
        { 'data-date': d.date, 'data-status': d.status },
        el('th', { scope: 'row', class: 'mono' }, d.date),
        el('td', {}, el('code', {}, d.runId)),
        el('td', {}, d.status === 'done' ? 'done' : el('span', { class: 'muted' }, `pending (${d.evaluatedOn} not ingested)`)),
        MODELS.flatMap((m) => {
          const figures = d.models?.[m.name];
          return [
            el('td', { class: 'num', 'data-model': m.name }, figures ? pct(figures.hitRate) : ''),
            el('td', { class: 'num' }, figures ? `${number.format(figures.hits)} / ${number.format(figures.events)}` : ''),
            el('td', { class: 'num' }, figures ? pct(figures.baselineHitRate) : ''),
          ];
        }),
      ),
    );
    $('#evaluation-body').replaceChildren(
      ...(rows.length ? rows : [el('tr', {}, el('td', { colspan: 9, class: 'muted' }, 'No published date yet.'))]),
    );
  }

  // ---------------------------------------------------------------- advertiser view

  /** Shown under the advertiser's lists once console.js has loaded them (`adrec:advertiser-shown`). */
  async function showAdvertiserEvaluation(advertiserId, date) {
    const box = $('#advertiser-evaluation');
    try {
      const result = await getJson(`/evaluation/${encodeURIComponent(advertiserId)}?date=${date}`);
      if (result.status !== 'done') {
        box.replaceChildren(
          el('p', { class: 'muted' }, `Next-day evaluation of ${date}: pending until ${result.evaluatedOn} is ingested.`),
        );
        return;
      }
      box.replaceChildren(
        el('p', {}, `On ${result.evaluatedOn}, the day after, this advertiser's lists of ${date} caught:`),
        el(
          'dl',
          { class: 'kv' },
          MODELS.flatMap((m) => {
            const figures = result.models[m.name];
            const what = m.name === 'top_product' ? 'views' : 'clicks';
            return [
              el('dt', {}, m.label),
              el(
                'dd',
                { 'data-model': m.name },
                `${pct(figures.hitRate)} · ${number.format(figures.hits)} of ${number.format(figures.events)} ${what} on a listed product`,
              ),
            ];
          }),
        ),
      );
    } catch (error) {
      box.replaceChildren(el('p', { class: 'muted' }, `No evaluation: ${error.message}`));
    }
  }

  document.addEventListener(
    'adrec:advertiser-shown',
    (event) => void showAdvertiserEvaluation(event.detail.advertiserId, event.detail.date),
  );
  window.addEventListener('hashchange', () => void showEvaluationView());
  document.addEventListener('DOMContentLoaded', () => void showEvaluationView());
})();
