// pagesift's labelling page: classify a pasted page, correct labels, send them, retrain.
// Plain browser JavaScript, no build step and no request outside this service.
'use strict';

const COLOURS = { content: '#2f855a', caption: '#b7791f', icon: '#6b46c1', sponsored: '#c53030', paywall: '#2b6cb0', navigation: '#718096' };
const EXTRA = ['#dd6b20', '#319795', '#d53f8c', '#4a5568', '#975a16'];
const $ = (id) => document.getElementById(id);
const state = { blocks: [], labels: [], version: null };
let token = ''; // in memory only: never stored, never in the URL

function colourOf(label) {
  if (COLOURS[label]) return COLOURS[label];
  const i = state.labels.indexOf(label);
  return EXTRA[(i < 0 ? 0 : i) % EXTRA.length];
}

/** Plain words for the API's error codes. */
function explain(status, body) {
  const code = body && body.error ? body.error.code : '';
  const words = {
    unauthorized: 'The admin token is wrong or missing.',
    retraining_disabled: 'Retraining is disabled on this service: it was started without ADMIN_TOKEN.',
    payload_too_large: 'The page is too large for this service (its MAX_BODY_BYTES limit).',
    too_many_blocks: 'The page has more blocks than this service accepts (its MAX_BLOCKS limit).',
    conflict: 'A retrain is already running. Wait for it to finish.',
    not_ready: 'The service is still loading its model. Try again in a moment.',
  };
  if (words[code]) return words[code];
  if (body && body.error) return `The service refused it (${status}): ${body.error.message}`;
  return `The service answered ${status}.`;
}

function say(id, text, isError) {
  $(id).textContent = text;
  $(id).classList.toggle('error', Boolean(isError));
}

async function call(method, path, body, contentType) {
  const headers = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = contentType || 'application/json';
  let res;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : (typeof body === 'string' ? body : JSON.stringify(body)) });
  } catch (error) {
    throw new Error(`The service cannot be reached: ${error.message}`);
  }
  const text = await res.text();
  let parsed = null;
  try { parsed = text ? JSON.parse(text) : null; } catch { parsed = null; }
  if (!res.ok) throw new Error(explain(res.status, parsed));
  return parsed;
}

function renderLegend() {
  const legend = $('legend');
  legend.replaceChildren(...state.labels.map((label) => {
    const li = document.createElement('li');
    li.style.setProperty('--colour', colourOf(label));
    li.textContent = label;
    return li;
  }));
}

function renderSummary() {
  const counts = {};
  for (const b of state.blocks) counts[b.label] = (counts[b.label] || 0) + 1;
  const changed = state.blocks.filter((b) => b.label !== b.predicted).length;
  $('summary').textContent = `${state.blocks.length} blocks: ${state.labels.map((l) => `${l} ${counts[l] || 0}`).join(', ')}` +
    (changed ? `. ${changed} changed by you.` : '.');
  $('send').disabled = state.blocks.length === 0;
}

/** The model's page verdict, in words; the two boxes start from it and the operator may correct them. */
function renderVerdict(verdict) {
  const known = verdict !== null && verdict !== undefined;
  $('paywall').textContent = !known ? 'This model gives no paywall verdict.'
    : `Paywall: ${!verdict.wall ? 'no wall' : verdict.truncated ? 'a wall, and the article is cut off by it' : 'a wall, but the article is whole'}` +
      ` (confidence ${verdict.confidence.toFixed(2)}).`;
  $('wall').checked = known && verdict.wall;
  $('truncated').checked = known && verdict.truncated;
  $('truncated').disabled = !$('wall').checked;
}

function renderBlock(block) {
  const li = document.createElement('li');
  li.className = 'block';
  li.dataset.index = String(block.index);
  const meta = document.createElement('div');
  meta.className = 'meta';
  const label = document.createElement('span');
  label.className = 'label';
  const confidence = document.createElement('span');
  const select = document.createElement('select');
  select.setAttribute('aria-label', `Label of block ${block.index}`);
  for (const l of state.labels) select.append(new Option(l, l));
  const mark = document.createElement('span');
  mark.className = 'changed-mark';
  const text = document.createElement('div');
  text.className = 'text';
  text.textContent = block.text;
  const update = () => {
    li.dataset.label = block.label;
    li.style.setProperty('--colour', colourOf(block.label));
    label.textContent = block.label;
    select.value = block.label;
    const changed = block.label !== block.predicted;
    li.classList.toggle('changed', changed);
    mark.textContent = changed ? `changed (model said ${block.predicted})` : '';
    confidence.textContent = changed ? '' : `${Math.round(block.confidence * 100)}%`;
  };
  select.addEventListener('change', () => {
    block.label = select.value;
    update();
    renderSummary();
  });
  update();
  meta.append(label, confidence, select, mark);
  li.append(meta, text);
  return li;
}

/**
 * A button's action: says what it is doing in `statusId`, then shows the outcome there, or the
 * service's refusal in plain words. Admin actions read the token from its field first.
 */
function action(statusId, busy, admin, run) {
  return async () => {
    if (admin) token = $('token').value.trim();
    say(statusId, busy);
    try {
      await run((text, isError) => say(statusId, text, isError));
    } catch (error) {
      say(statusId, error.message, true);
    }
  };
}

const classify = action('message', 'Classifying…', false, async (report) => {
  const result = await call('POST', '/v1/classify', $('page-text').value, 'text/plain; charset=utf-8');
  state.version = result.model.version;
  state.labels = Object.keys(result.summary);
  state.blocks = result.blocks.map((b) => ({ index: b.index, text: b.text, predicted: b.label, label: b.label, confidence: b.confidence }));
  $('model-version').textContent = `Model ${state.version}`;
  renderVerdict(result.paywall);
  renderLegend();
  $('blocks').replaceChildren(...state.blocks.map(renderBlock));
  renderSummary();
  $('result').hidden = false;
  report(`Classified ${state.blocks.length} blocks.`);
});

const sendCorrections = action('retrain-status', 'Sending…', true, async (report) => {
  // The whole page, as now labelled: a block is learned with the blocks around it.
  const page = { id: `ui-${Date.now()}`, wall: $('wall').checked, truncated: $('wall').checked && $('truncated').checked, blocks: state.blocks.map((b) => ({ text: b.text, label: b.label })) };
  const res = await call('POST', '/v1/examples', { pages: [page] });
  report(res.stored ? `Sent ${res.blocks} labelled blocks (batch ${res.batch}).` : 'These corrections were already sent.');
});

const retrain = action('retrain-status', 'Starting a retrain…', true, async (report) => {
  let job = await call('POST', '/v1/retrain');
  while (job.state === 'running') {
    report(`Retraining (job ${job.id}, started ${new Date(job.startedAt).toLocaleTimeString()})…`);
    await new Promise((r) => setTimeout(r, 1000));
    job = await call('GET', `/v1/retrain/${job.id}`);
  }
  if (job.state === 'activated') report(`Retrained: model ${job.version} is live.`);
  else if (job.state === 'kept') report(`The new model ${job.version} was kept but not made live: ${job.reason}`, true);
  else report(`The retrain failed: ${job.reason}`, true);
});

$('classify').addEventListener('click', classify);
$('send').addEventListener('click', sendCorrections);
$('retrain').addEventListener('click', retrain);
// Only a wall cuts an article off: no wall, nothing cut.
$('wall').addEventListener('change', (e) => {
  $('truncated').disabled = !e.target.checked;
  if (!e.target.checked) $('truncated').checked = false;
});
$('content-only').addEventListener('change', (e) => $('blocks').classList.toggle('content-only', e.target.checked));
$('page-file').addEventListener('change', async (e) => {
  const file = e.target.files[0];
  if (file) $('page-text').value = await file.text();
});
