// The MILSA analysts' page: the partner network as an interactive graph, participation over time,
// and outcomes by arrival cohort (time-to-event curves, work or studies at 12 and 24 months, change
// in well-being), from partnernet's GraphQL API with the analyst's (or a coordinator's) token.
// Plain JavaScript, no build step.
'use strict';

const SVG = 'http://www.w3.org/2000/svg';
const COLORS = ['#1c7ed6', '#d9480f', '#2b8a3e', '#862e9c', '#e67700', '#0b7285', '#5c940d', '#c2255c'];

const NETWORK_QUERY = `query($f: PartnerNetworkFilter) { partnerNetwork(filter: $f) {
  threshold
  nodes { organisation { slug name shortName } participation participationSuppressed degree betweenness pageRank }
  edges { source { slug } target { slug } coOrganisedActivities referrals referralsSuppressed sharedParticipants sharedParticipantsSuppressed weight } } }`;

const CHART_QUERY = `query($d: [AnalyticsDimension!]!, $f: AnalyticsFilter) {
  analytics(measure: ENROLMENTS, dimensions: $d, filter: $f) { dimensions cells { values count suppressed } } }`;

const COHORT_QUERY = `query($m: CohortMeasure!, $g: [CohortGrouping!]!, $p: ProgrammeCode, $f: CohortFilter) {
  cohortAnalytics(measure: $m, groupBy: $g, programme: $p, filter: $f) {
    groupBy threshold groups { values size suppressed estimated medianMonths curve { month reached } cells { value count suppressed share } } } }`;

/** The headers of every request: the token and the purpose. */
function headers() {
  return {
    'Authorization': 'Bearer ' + document.getElementById('token').value.trim(),
    'Partnernet-Purpose': 'STATISTICS',
  };
}

/** Posts a GraphQL operation with the analyst's token and returns its data, or throws its errors. */
async function graphql(query, variables) {
  const res = await fetch('/graphql', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers() },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json();
  if (body.errors && body.errors.length) {
    const err = new Error(body.errors.map((e) => (e.extensions && e.extensions.code ? e.extensions.code + ': ' : '') + e.message).join('; '));
    err.code = body.errors[0].extensions && body.errors[0].extensions.code;
    throw err;
  }
  return body.data;
}

/**
 * Resolves to null when the caller's role may not read what promise asks for (FORBIDDEN), so
 * that a municipality's coordinator, who reads the network and the cohort measures of their own
 * newcomers but not participation across the network, still gets the rest of the page.
 */
function unlessForbidden(promise) {
  return promise.catch((err) => {
    if (err.code === 'FORBIDDEN') return null;
    throw err;
  });
}

/** Shows or hides the section holding the element with id. */
function showSection(id, shown) {
  document.getElementById(id).closest('section').hidden = !shown;
}

/** Creates an SVG element with attributes. */
function el(name, attrs, parent) {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  if (parent) parent.appendChild(e);
  return e;
}

/** Lays the graph out with a deterministic force simulation (Fruchterman–Reingold). */
function layout(nodes, edges, width, height) {
  const n = nodes.length;
  const pos = nodes.map((_, i) => ({
    x: width / 2 + Math.cos((2 * Math.PI * i) / n) * width * 0.4,
    y: height / 2 + Math.sin((2 * Math.PI * i) / n) * height * 0.4,
  }));
  const index = new Map(nodes.map((d, i) => [d.organisation.slug, i]));
  const links = edges.map((e) => [index.get(e.source.slug), index.get(e.target.slug), e.weight]);
  const k = Math.sqrt((width * height) / Math.max(n, 1)) * 0.6;
  let temperature = width / 8;
  for (let iter = 0; iter < 300; iter++) {
    const disp = pos.map(() => ({ x: 0, y: 0 }));
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const dx = pos[i].x - pos[j].x, dy = pos[i].y - pos[j].y;
        const d = Math.max(Math.hypot(dx, dy), 0.01);
        const f = (k * k) / d;
        disp[i].x += (dx / d) * f; disp[i].y += (dy / d) * f;
        disp[j].x -= (dx / d) * f; disp[j].y -= (dy / d) * f;
      }
    }
    for (const [a, b, w] of links) {
      const dx = pos[a].x - pos[b].x, dy = pos[a].y - pos[b].y;
      const d = Math.max(Math.hypot(dx, dy), 0.01);
      const f = ((d * d) / k) * Math.min(1 + Math.log(w), 4) * 0.5;
      disp[a].x -= (dx / d) * f; disp[a].y -= (dy / d) * f;
      disp[b].x += (dx / d) * f; disp[b].y += (dy / d) * f;
    }
    for (let i = 0; i < n; i++) {
      // A weak pull to the centre keeps unconnected organisations in view.
      disp[i].x += (width / 2 - pos[i].x) * 0.02 * k / 10;
      disp[i].y += (height / 2 - pos[i].y) * 0.02 * k / 10;
      const d = Math.max(Math.hypot(disp[i].x, disp[i].y), 0.01);
      pos[i].x += (disp[i].x / d) * Math.min(d, temperature);
      pos[i].y += (disp[i].y / d) * Math.min(d, temperature);
      pos[i].x = Math.min(width - 20, Math.max(20, pos[i].x));
      pos[i].y = Math.min(height - 20, Math.max(20, pos[i].y));
    }
    temperature *= 0.985;
  }
  return pos;
}

/** Describes a published count. */
function shown(value, suppressed) {
  return suppressed ? 'suppressed' : String(value);
}

/** Draws the partner network. */
function drawNetwork(net) {
  const svg = document.getElementById('network');
  svg.replaceChildren();
  const width = 800, height = 600;
  const pos = layout(net.nodes, net.edges, width, height);
  const index = new Map(net.nodes.map((d, i) => [d.organisation.slug, i]));
  const maxWeight = Math.max(1, ...net.edges.map((e) => e.weight));
  const edgeEls = net.edges.map((e) => {
    const a = pos[index.get(e.source.slug)], b = pos[index.get(e.target.slug)];
    const line = el('line', {
      class: 'edge', x1: a.x, y1: a.y, x2: b.x, y2: b.y,
      'stroke-width': 1 + 5 * Math.sqrt(e.weight / maxWeight),
      'data-source': e.source.slug, 'data-target': e.target.slug,
    }, svg);
    el('title', {}, line).textContent = `${e.source.slug} – ${e.target.slug}: ${e.coOrganisedActivities} co-organised, ` +
      `referrals ${shown(e.referrals, e.referralsSuppressed)}, shared participants ${shown(e.sharedParticipants, e.sharedParticipantsSuppressed)}`;
    return line;
  });
  const maxPart = Math.max(1, ...net.nodes.map((d) => d.participation || 0));
  const ranked = [...net.nodes].sort((x, y) => y.pageRank - x.pageRank).slice(0, 10).map((d) => d.organisation.slug);
  net.nodes.forEach((d, i) => {
    const r = 4 + 16 * Math.sqrt((d.participation || 0) / maxPart);
    const c = el('circle', {
      class: 'node' + (d.participationSuppressed ? ' suppressed' : ''), cx: pos[i].x, cy: pos[i].y, r,
      'data-slug': d.organisation.slug,
    }, svg);
    el('title', {}, c).textContent = `${d.organisation.name}: participation ${shown(d.participation, d.participationSuppressed)}, ` +
      `degree ${d.degree}, PageRank ${d.pageRank.toFixed(3)}`;
    c.addEventListener('click', () => select(d, c, edgeEls));
    if (ranked.includes(d.organisation.slug)) {
      el('text', { class: 'label', x: pos[i].x + r + 2, y: pos[i].y + 3 }, svg).textContent = d.organisation.shortName || d.organisation.slug;
    }
  });
}

/** Highlights a node's cooperations and shows its measures. */
function select(d, circle, edgeEls) {
  document.querySelectorAll('.node.selected').forEach((n) => n.classList.remove('selected'));
  circle.classList.add('selected');
  for (const e of edgeEls) {
    const on = e.dataset.source === d.organisation.slug || e.dataset.target === d.organisation.slug;
    e.classList.toggle('active', on);
  }
  document.getElementById('details').textContent = `${d.organisation.name} — participation ` +
    `${shown(d.participation, d.participationSuppressed)}, cooperates with ${d.degree}, ` +
    `betweenness ${d.betweenness.toFixed(1)}, PageRank ${d.pageRank.toFixed(3)}`;
}

/** Draws enrolments per month, one line per programme; suppressed months are gaps. */
function drawChart(table) {
  const svg = document.getElementById('chart');
  svg.replaceChildren();
  const legend = document.getElementById('legend');
  legend.replaceChildren();
  const months = [...new Set(table.cells.map((c) => c.values[0]))].sort();
  const programmes = [...new Set(table.cells.map((c) => c.values[1]))].sort();
  const width = 800, height = 320, left = 44, bottom = 34, top = 12, right = 12;
  const max = Math.max(1, ...table.cells.map((c) => c.count || 0));
  const x = (i) => left + (months.length <= 1 ? 0 : (i * (width - left - right)) / (months.length - 1));
  const y = (v) => height - bottom - (v * (height - bottom - top)) / max;
  el('line', { class: 'axis', x1: left, y1: height - bottom, x2: width - right, y2: height - bottom }, svg);
  el('line', { class: 'axis', x1: left, y1: top, x2: left, y2: height - bottom }, svg);
  for (let t = 0; t <= 4; t++) {
    const v = Math.round((max * t) / 4);
    el('text', { class: 'tick', x: 4, y: y(v) + 3 }, svg).textContent = String(v);
  }
  months.forEach((m, i) => { el('text', { class: 'tick', x: x(i) - 18, y: height - 12 }, svg).textContent = m; });
  programmes.forEach((p, k) => {
    const color = COLORS[k % COLORS.length];
    let d = '', pen = false;
    months.forEach((m, i) => {
      const cell = table.cells.find((c) => c.values[0] === m && c.values[1] === p);
      if (cell && !cell.suppressed) {
        d += (pen ? 'L' : 'M') + x(i) + ',' + y(cell.count);
        pen = true;
        el('circle', { class: 'point', cx: x(i), cy: y(cell.count), r: 3, fill: color }, svg);
      } else {
        pen = false;
        if (cell) el('circle', { class: 'point suppressed', cx: x(i), cy: y(0), r: 3, stroke: color }, svg);
      }
    });
    el('path', { class: 'series', d, stroke: color, 'data-programme': p }, svg);
    const item = document.createElement('span');
    const swatch = document.createElement('i');
    swatch.style.background = color;
    item.append(swatch, p);
    legend.append(item);
  });
}

/** The quarter (YYYY-Qn) of a month input's value (YYYY-MM), or ''. */
function quarterOf(month) {
  if (!month) return '';
  const [y, m] = month.split('-');
  return `${y}-Q${Math.floor((Number(m) - 1) / 3) + 1}`;
}

/** The cohortAnalytics arguments of the outcome controls, for measure m. */
function cohortArgs(m) {
  const by = document.getElementById('cohort-by').value;
  if (by !== 'COHORT') return { m, g: ['PARTICIPATION'], p: by };
  const f = {};
  const from = quarterOf(document.getElementById('from').value);
  const until = quarterOf(document.getElementById('until').value);
  if (from) f.from = from;
  if (until) f.until = until;
  return { m, g: ['COHORT'], f };
}

/** A group's label: its values, joined. */
function groupLabel(g) {
  return g.values.length ? g.values.join(' · ').replace('NOT_PARTICIPANT', 'not participating').replace('PARTICIPANT', 'participating') : 'everyone';
}

/** Draws axes with y from 0 to 1 as percentages, returning the scales. */
function axes(svg, xMax, xLabel) {
  const width = 800, height = 340, left = 44, bottom = 34, top = 12, right = 12;
  const x = (v) => left + (v * (width - left - right)) / xMax;
  const y = (v) => height - bottom - v * (height - bottom - top);
  el('line', { class: 'axis', x1: left, y1: y(0), x2: width - right, y2: y(0) }, svg);
  el('line', { class: 'axis', x1: left, y1: top, x2: left, y2: y(0) }, svg);
  for (let t = 0; t <= 4; t++) {
    el('text', { class: 'tick', x: 4, y: y(t / 4) + 3 }, svg).textContent = `${t * 25}%`;
  }
  if (xLabel) el('text', { class: 'tick', x: width - right - 120, y: height - 4 }, svg).textContent = xLabel;
  return { x, y, left, right, width, height, bottom, top };
}

/** Draws the time-to-event curves, one per group, and their medians in the legend. */
function drawCurves(table) {
  const svg = document.getElementById('curves');
  svg.replaceChildren();
  const legend = document.getElementById('curves-legend');
  legend.replaceChildren();
  const { x, y } = axes(svg, 36, 'months since arrival');
  for (const m of [0, 6, 12, 18, 24, 30, 36]) {
    el('text', { class: 'tick', x: x(m) - 4, y: 340 - 20 }, svg).textContent = String(m);
  }
  el('line', { class: 'median', x1: x(0), y1: y(0.5), x2: x(36), y2: y(0.5) }, svg);
  table.groups.forEach((g, k) => {
    const color = COLORS[k % COLORS.length];
    const item = document.createElement('span');
    const swatch = document.createElement('i');
    swatch.style.background = color;
    let text = groupLabel(g);
    if (g.suppressed) {
      text += ': too few to publish';
    } else if (g.curve.length < 2) {
      text += `: ${g.size}, no curve (too much suppressed)`;
    } else {
      // Kaplan–Meier is a step function: the share holds until the end of the next interval.
      let d = `M${x(g.curve[0].month)},${y(g.curve[0].reached)}`;
      for (let i = 1; i < g.curve.length; i++) {
        d += `H${x(g.curve[i].month)}V${y(g.curve[i].reached)}`;
      }
      el('path', { class: 'curve', d, stroke: color, 'data-group': g.values.join('|') }, svg);
      text += `: ${g.size}, median ${g.medianMonths == null ? 'not reached' : g.medianMonths + ' months'}` + (g.estimated ? ' (estimated)' : '');
    }
    item.append(swatch, text);
    legend.append(item);
  });
}

/** Draws stacked bars of shares, one bar per group and table (labelled by tag), in the order of values. */
function drawShares(svgId, tables, values) {
  const svg = document.getElementById(svgId);
  svg.replaceChildren();
  const bars = [];
  for (const [tag, table] of tables) {
    for (const g of table.groups) bars.push({ tag, g });
  }
  bars.sort((a, b) => groupLabel(a.g).localeCompare(groupLabel(b.g)) || a.tag.localeCompare(b.tag));
  const { y, left, right, width } = axes(svg, 1, '');
  const slot = (width - left - right) / Math.max(bars.length, 1);
  bars.forEach(({ tag, g }, i) => {
    const x0 = left + i * slot + slot * 0.15, w = slot * 0.7;
    const label = el('text', { class: 'tick', x: x0, y: 340 - 20 }, svg);
    label.textContent = `${groupLabel(g)}${tag ? ' ' + tag : ''}`;
    if (bars.length > 8) label.setAttribute('transform', `rotate(-30 ${x0} ${340 - 20})`);
    const shares = values.map((v) => g.cells.find((c) => c.value === v)).map((c) => (c && c.share != null ? c.share : null));
    if (g.suppressed || shares.some((s) => s == null)) {
      el('text', { class: 'withheld', x: x0, y: y(0.5) }, svg).textContent = 'withheld';
      return;
    }
    let acc = 0;
    values.forEach((v, j) => {
      const rect = el('rect', { class: 'bar ' + v.toLowerCase(), x: x0, y: y(acc + shares[j]), width: w, height: y(acc) - y(acc + shares[j]) }, svg);
      el('title', {}, rect).textContent = `${groupLabel(g)} ${tag}: ${v.toLowerCase()} ${(100 * shares[j]).toFixed(0)}%`;
      acc += shares[j];
    });
  });
}

/** Loads and draws the outcome charts. */
async function loadOutcomes() {
  const measure = document.getElementById('cohort-measure').value;
  const [curves, at12, at24, who5] = await Promise.all(
    [measure, 'AT_12_MONTHS', 'AT_24_MONTHS', 'WHO5_CHANGE'].map((m) => graphql(COHORT_QUERY, cohortArgs(m))),
  );
  drawCurves(curves.cohortAnalytics);
  drawShares('standing', [['12 m', at12.cohortAnalytics], ['24 m', at24.cohortAnalytics]], ['WORK', 'STUDIES', 'NEITHER']);
  drawShares('wellbeing', [['', who5.cohortAnalytics]], ['IMPROVED', 'STABLE', 'WORSENED']);
}

/** Downloads the curve measure's CSV with the token (a plain link would not carry it). */
async function downloadCohortCSV(e) {
  e.preventDefault();
  const a = cohortArgs(document.getElementById('cohort-measure').value);
  const q = new URLSearchParams({ groupBy: a.g.join(',') });
  if (a.p) q.set('programme', a.p);
  if (a.f && a.f.from) q.set('from', a.f.from);
  if (a.f && a.f.until) q.set('until', a.f.until);
  const res = await fetch(`/analytics/cohorts/${a.m.toLowerCase()}.csv?${q}`, { headers: headers() });
  const status = document.getElementById('status');
  if (!res.ok) {
    status.textContent = `CSV: ${res.status}`;
    return;
  }
  const link = document.createElement('a');
  link.href = URL.createObjectURL(await res.blob());
  link.download = `${a.m.toLowerCase()}.csv`;
  link.click();
  URL.revokeObjectURL(link.href);
}

/** Loads the network, the participation chart and the outcome charts for the controls' filter. */
async function load() {
  const status = document.getElementById('status');
  document.body.dataset.state = 'loading';
  status.textContent = 'Loading…';
  const programme = document.getElementById('programme').value;
  const from = document.getElementById('from').value;
  const until = document.getElementById('until').value;
  const nf = {};
  if (programme) nf.programme = programme;
  if (from) nf.from = from;
  if (until) nf.until = until;
  const cf = {};
  if (from) cf.from = from;
  if (until) cf.until = until;
  if (programme) cf.values = [{ dimension: 'PROGRAMME', values: [programme] }];
  try {
    const [net, chart] = await Promise.all([
      unlessForbidden(graphql(NETWORK_QUERY, { f: nf })),
      unlessForbidden(graphql(CHART_QUERY, { d: ['MONTH', 'PROGRAMME'], f: cf })),
      loadOutcomes(),
    ]);
    showSection('network', net !== null);
    showSection('chart', chart !== null);
    if (net) drawNetwork(net.partnerNetwork);
    if (chart) drawChart(chart.analytics);
    status.textContent = net
      ? `${net.partnerNetwork.nodes.length} organisations, ${net.partnerNetwork.edges.length} cooperations; ` +
        `counts below ${net.partnerNetwork.threshold} suppressed`
      : 'The network is for the network lead, analysts and coordinators.';
    if (!chart) status.textContent += '; participation across the network is for the network lead and analysts';
    document.body.dataset.state = 'ready';
  } catch (err) {
    status.textContent = String(err.message || err);
    document.body.dataset.state = 'error';
  }
}

document.addEventListener('DOMContentLoaded', () => {
  const params = new URLSearchParams(location.hash.slice(1));
  if (params.get('token')) {
    document.getElementById('token').value = params.get('token');
    history.replaceState(null, '', location.pathname); // keep the token out of the address bar
  }
  document.getElementById('controls').addEventListener('submit', (e) => { e.preventDefault(); load(); });
  for (const id of ['cohort-measure', 'cohort-by']) {
    document.getElementById(id).addEventListener('change', () => {
      document.body.dataset.state = 'loading';
      loadOutcomes().then(() => { document.body.dataset.state = 'ready'; }, (err) => {
        document.getElementById('status').textContent = String(err.message || err);
        document.body.dataset.state = 'error';
      });
    });
  }
  document.getElementById('cohort-csv').addEventListener('click', downloadCohortCSV);
  if (document.getElementById('token').value) load();
});
