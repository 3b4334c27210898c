// Every request that changes something carries this page's CSRF token (see AccessFilter).
const CSRF_TOKEN = (document.querySelector('meta[name=csrf-token]') || {}).content || '';
function send(url, options = {}) {
  const headers = { ...(options.headers || {}) };
  if ((options.method || 'GET') !== 'GET') headers['X-CSRF-Token'] = CSRF_TOKEN;
  return fetch(url, { ...options, headers });
}

// "Back up now": queues a backup through the JSON API, shows its progress, and adds the new row
// to the history without reloading. Everything from the server is put in the page as text.
const zone = document.body.dataset.timeZone || 'UTC';

function formatTime(iso) {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
  }).formatToParts(new Date(iso));
  const p = Object.fromEntries(parts.map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

// The rules of ByteSize.java: decimal units, one decimal, at most four digits ("999.9 kB", then
// "1.0 MB"), rounded half up in whole tenths. Exact up to 2^53 bytes (9 PB).
function formatSize(bytes) {
  if (bytes == null || bytes < 0) return 'unknown';
  if (bytes < 1000) return `${bytes} B`;
  let divisor = 100;
  for (const unit of ['kB', 'MB', 'GB', 'TB', 'PB', 'EB']) {
    const rest = bytes % divisor;
    const tenths = (bytes - rest) / divisor + (rest >= divisor - rest ? 1 : 0);
    if (tenths < 10000 || unit === 'EB') return `${Math.floor(tenths / 10)}.${tenths % 10} ${unit}`;
    divisor *= 1000;
  }
  return 'unknown'; // not reached: EB holds any size
}

const STATES = {
  queued: () => 'Waiting for its turn…',
  logging_in: () => 'Logging in…',
  downloading: (job) => `Downloading ${formatSize(job.bytes)}…`,
  verifying: () => 'Verifying…',
};

// A value from an archive as the templates' layout.value draws it (VisibleControls.java): in a <bdi>, so that a U+202E cannot
// reorder the words around it, with the characters a reader cannot see written out (⟨U+202E⟩), and cut at max characters.
const LINE_CUT = 300;
function hiddenChar(cp) {
  const bidi = (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp === 0x200E || cp === 0x200F || cp === 0x061C;
  const invisible = [0x200B, 0x2060, 0xFEFF, 0x00AD, 0x2028, 0x2029].includes(cp);
  const control = (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) && cp !== 0x09 && cp !== 0x0A && cp !== 0x0D;
  return bidi || invisible || control;
}
function archiveValue(text, max = LINE_CUT) {
  const shown = (t) => Array.from(t, (ch) => (hiddenChar(ch.codePointAt(0))
    ? `\u27e8U+${ch.codePointAt(0).toString(16).toUpperCase().padStart(4, '0')}\u27e9` : ch)).join('');
  const bdi = document.createElement('bdi');
  bdi.textContent = shown(text.length > max ? text.substring(0, max) : text);
  if (text.length <= max) return bdi;
  const cut = document.createElement('span');
  cut.className = 'cut';
  cut.dataset.cut = '';
  cut.textContent = `\u2026 (cut: ${text.length.toLocaleString('en-US')} characters)`;
  const both = document.createDocumentFragment();
  both.append(bdi, cut);
  return both;
}
// Archive values joined as a template joins them: each set apart.
function appendValues(parent, values, separator) {
  values.forEach((v, i) => parent.append(...(i > 0 ? [separator] : []), archiveValue(v)));
}

function cell(text, className) {
  const td = document.createElement('td');
  if (className) td.className = className;
  td.textContent = text;
  return td;
}

function badge(text, className) {
  const span = document.createElement('span');
  span.className = `badge ${className}`;
  span.textContent = text;
  return span;
}

// The same buttons as a row drawn by the server, so a new row can be pinned or deleted at once.
function rowButton(text, className, data) {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = className;
  button.textContent = text;
  Object.assign(button.dataset, data);
  return button;
}

function historyRow(backup) {
  const tr = document.createElement('tr');
  tr.className = `backup status-${backup.status}`;
  tr.dataset.backup = backup.id;
  const time = document.createElement('td');
  const t = document.createElement('time');
  t.textContent = formatTime(backup.createdAt);
  t.title = 'just now';
  time.append(t);
  const contents = cell(backup.contents || '', 'contents');
  if (backup.changes && !backup.unchangedSincePrevious) {
    const changes = document.createElement('div');
    changes.className = 'changes';
    changes.dataset.changes = '';
    changes.append(archiveValue(backup.changes));
    contents.append(changes);
  }
  tr.append(time, cell(backup.size == null ? '' : formatSize(backup.size)), contents, cell(backup.trigger));
  const status = document.createElement('td');
  status.append(badge(backup.status, `status-${backup.status}`));
  if (backup.unchangedSincePrevious) status.append(' ', badge('no changes since previous', 'note'));
  if (backup.suspicious) status.append(' ', badge('suspicious', 'warn'));
  const pinned = badge('pinned', 'note');
  pinned.dataset.pinned = '';
  pinned.hidden = !backup.pinned;
  status.append(' ', pinned);
  if (backup.offsite && backup.offsite.length) {
    // the copies just queued, as the server draws them; their progress shows at the next visit
    const copies = document.createElement('div');
    copies.className = 'offsite-copies';
    copies.dataset.offsiteCopies = '';
    backup.offsite.forEach((c) => {
      const b = badge(`${c.destination}: ${c.state}`, `offsite-${c.state}`);
      b.dataset.offsite = c.destination;
      if (c.error) b.title = c.error;
      copies.append(' ', b);
    });
    status.append(copies);
  }
  if (backup.error) {
    const error = document.createElement('div');
    error.className = 'error';
    error.textContent = backup.error;
    status.append(error);
  }
  const actions = document.createElement('td');
  if (backup.downloadUrl) {
    const a = document.createElement('a');
    a.href = backup.downloadUrl;
    a.textContent = 'Download';
    a.setAttribute('download', '');
    actions.append(a, ' ');
  }
  if (backup.status === 'success') {
    actions.append(rowButton(backup.pinned ? 'Unpin' : 'Pin', 'link', { pin: backup.id, pinnedNow: String(backup.pinned) }), ' ');
  }
  actions.append(rowButton('Delete', 'link danger', { delete: backup.id }));
  tr.append(status, actions);
  return tr;
}

async function getJson(url) {
  const response = await send(url, { headers: { Accept: 'application/json' } });
  return { response, body: await response.json().catch(() => ({})) };
}

async function follow(jobUrl, result) {
  for (;;) {
    const { response, body: job } = await getJson(jobUrl);
    if (!response.ok) throw new Error((job.error && job.error.message) || `HTTP ${response.status}`);
    if (job.state === 'done' || job.state === 'failed') return job;
    result.textContent = STATES[job.state](job);
    await new Promise((resolve) => setTimeout(resolve, 400));
  }
}

async function runBackup(form, jobUrl) {
  const button = form.querySelector('button');
  const result = form.querySelector('[data-result]');
  const history = form.closest('section').querySelector('[data-history]');
  button.disabled = true;
  result.classList.remove('failed');
  result.textContent = 'Queued…';
  try {
    let url = jobUrl;
    if (!url) {
      const started = await send(form.action, { method: 'POST', headers: { Accept: 'application/json' } });
      const body = await started.json().catch(() => ({}));
      if (started.status !== 202) throw new Error((body.error && body.error.message) || `HTTP ${started.status}`);
      url = body.job.url;
    }
    const job = await follow(url, result);
    if (job.backupId) {
      const { body: backup } = await getJson(`/api/v1/backups/${job.backupId}`);
      const none = history.querySelector('tr.none');
      if (none) none.remove();
      history.prepend(historyRow(backup));
    }
    if (job.state === 'done') {
      result.textContent = `Backed up (${formatSize(job.bytes)}).`;
    } else {
      result.textContent = job.error || 'The backup failed.';
      result.classList.add('failed');
    }
  } catch (e) {
    result.textContent = e.message;
    result.classList.add('failed');
  }
  button.disabled = false;
}

document.addEventListener('submit', (event) => {
  const form = event.target.closest('form.backup-now');
  if (!form) return;
  event.preventDefault();
  runBackup(form, null);
});

// A backup started before this page was loaded: follow it, with the button disabled meanwhile.
document.querySelectorAll('form.backup-now[data-job]').forEach((form) => runBackup(form, form.dataset.job));

// Dark mode: follows the OS until toggled; the choice is remembered (theme.js applies it early).
document.addEventListener('click', (event) => {
  if (!event.target.closest('[data-theme-toggle]')) return;
  const root = document.documentElement;
  const dark = root.dataset.theme ? root.dataset.theme === 'dark' : matchMedia('(prefers-color-scheme: dark)').matches;
  root.dataset.theme = dark ? 'light' : 'dark';
  try { localStorage.setItem('theme', root.dataset.theme); } catch (e) { /* not remembered, still switched */ }
});

// Test connection, pin/unpin and delete on an instance page, through the JSON API.
document.addEventListener('click', async (event) => {
  const test = event.target.closest('[data-test-connection]');
  const pin = event.target.closest('[data-pin]');
  const del = event.target.closest('[data-delete]');
  if (pin || del) event.preventDefault(); // their forms are for a browser without JavaScript
  if (test) {
    const out = test.parentElement.querySelector('[data-test-result]');
    test.disabled = true;
    out.classList.remove('failed');
    out.textContent = 'Testing…';
    const response = await send(test.dataset.testConnection, { method: 'POST', headers: { Accept: 'application/json' } });
    const body = await response.json().catch(() => ({}));
    out.textContent = body.message || (body.error && body.error.message) || `HTTP ${response.status}`;
    if (!body.ok) out.classList.add('failed');
    test.disabled = false;
  } else if (pin) {
    const pinned = pin.dataset.pinnedNow === 'true';
    const response = await send(`/api/v1/backups/${pin.dataset.pin}/${pinned ? 'unpin' : 'pin'}`, { method: 'POST', headers: { Accept: 'application/json' } });
    if (response.ok) {
      const backup = await response.json();
      pin.dataset.pinnedNow = String(backup.pinned);
      pin.textContent = backup.pinned ? 'Unpin' : 'Pin';
      if (pin.form) pin.form.action = `/backups/${backup.id}/${backup.pinned ? 'unpin' : 'pin'}`;
      pin.closest('tr').querySelector('[data-pinned]').hidden = !backup.pinned;
    }
  } else if (del) {
    if (!window.confirm('Delete this backup? Its file and its off-site copies are deleted too.')) return;
    const response = await send(`/api/v1/backups/${del.dataset.delete}`, { method: 'DELETE', headers: { Accept: 'application/json' } });
    if (response.status === 204) {
      del.closest('tr').remove();
    } else {
      const body = await response.json().catch(() => ({}));
      const row = del.closest('tr');
      const note = document.createElement('div');
      note.className = 'error';
      note.textContent = (body.error && body.error.message) || `HTTP ${response.status}`;
      row.lastElementChild.append(note);
    }
  }
});

// "Fetch from server": reads the certificate the Pi-hole presents, so it can be checked and pinned.
document.addEventListener('click', async (event) => {
  const button = event.target.closest('[data-fetch-fingerprint]');
  if (!button) return;
  const out = button.parentElement.querySelector('[data-fingerprint-result]');
  const url = document.querySelector('input[name=url]').value;
  out.classList.remove('failed');
  out.textContent = 'Connecting…';
  const response = await send(`/api/v1/tls/certificate?url=${encodeURIComponent(url)}`, { headers: { Accept: 'application/json' } });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    out.textContent = (body.error && body.error.message) || `HTTP ${response.status}`;
    out.classList.add('failed');
    return;
  }
  document.querySelector('input[name=fingerprint]').value = body.sha256;
  const mode = document.querySelector('select[name=tlsMode]');
  mode.value = 'fingerprint';
  mode.dispatchEvent(new Event('change', { bubbles: true }));
  out.textContent = `${body.subject}, valid until ${body.notAfter}${body.selfSigned ? ' (self-signed)' : ''}. Check it before saving.`;
});

// Instance form: only the fields of the chosen TLS mode and schedule kind are shown. The page
// comes with all of them visible, so it works without JavaScript; this adds the hiding. A field
// the server found invalid stays visible whatever is chosen, so no message is ever hidden.
// A hidden field is also switched off, so it is not sent: the server refuses a value typed into a
// field the chosen mode does not use, and a stale hidden one is not what the person meant to save.
// It comes back on, its value intact, when its mode is chosen again.
function showWhatApplies(form, selectName) {
  const chosen = form.querySelector(`select[name=${selectName}]`).value;
  form.querySelectorAll(`[data-when=${selectName}]`).forEach((part) => {
    part.hidden = !part.dataset.values.split(' ').includes(chosen) && !part.querySelector('.invalid');
    part.querySelectorAll('[name]').forEach((field) => {
      if (part.hidden && !field.disabled) {
        field.disabled = true;
        field.dataset.offWhileHidden = '';
      } else if (!part.hidden && 'offWhileHidden' in field.dataset) {
        field.disabled = false;
        delete field.dataset.offWhileHidden;
      }
    });
  });
}

document.querySelectorAll('form.instance-form').forEach((form) => {
  ['tlsMode', 'scheduleKind'].forEach((name) => showWhatApplies(form, name));
  form.addEventListener('change', (event) => {
    const name = event.target.name;
    if (name === 'tlsMode' || name === 'scheduleKind') showWhatApplies(form, name);
  });
});

// Restore: the part boxes belong to a custom restore; with another mode they are switched off, so none looks chosen.
function partsFollowMode(form) {
  const mode = form.querySelector('input[name=mode]:checked');
  form.querySelectorAll('.custom-parts input[type=checkbox]').forEach((box) => { box.disabled = !mode || mode.value !== 'custom'; });
}

document.querySelectorAll('[data-restore-form]').forEach((form) => {
  partsFollowMode(form);
  form.addEventListener('change', (event) => { if (event.target.name === 'mode') partsFollowMode(form); });
});

// Restore: preview (a dry run), then restore with a confirmation, follow it, and offer to undo it.
function restoreRequest(form) {
  const mode = form.querySelector('input[name=mode]:checked').value;
  const target = Number(form.querySelector('select[name=target]').value);
  // parts belong to a custom restore only: the API refuses them with any other mode
  if (mode !== 'custom') return { target, mode };
  const parts = {};
  // a part the archive does not hold is not offered, so not sent
  ['lists', 'localDns', 'settings', 'identity'].forEach((p) => { const box = form.querySelector(`input[name=${p}]`); parts[p] = box !== null && box.checked; });
  return { target, mode, parts };
}

async function postJson(url, body) {
  const response = await send(url, { method: 'POST', headers: { Accept: 'application/json', 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  return { response, body: await response.json().catch(() => ({})) };
}

function showPreview(list, diff, warnings) {
  list.replaceChildren();
  // the app's words as text, each archive value (an item, a setting's value) set apart by archiveValue
  const add = (className, ...parts) => {
    const li = document.createElement('li');
    li.className = className;
    li.append(...parts);
    list.append(li);
  };
  const value = (v) => archiveValue(String(v), 100);
  // first: a password or 2FA that will change is what a person must not miss
  (warnings || []).forEach((w) => add('warning', `⚠ ${w}`));
  Object.entries(diff.categories).forEach(([name, c]) => {
    c.added.forEach((i) => add('added', `+ ${name}: `, value(i)));
    c.removed.forEach((i) => add('removed', `− ${name}: `, value(i)));
    // which fields of a changed item differ, as the diff page says: "~ adlists: https://… (enabled, comment)"
    const fields = (i) => ((c.fields || {})[i] || []).map((f) => f.field);
    c.changed.forEach((i) => add('changed', `~ ${name}: `, value(i), fields(i).length ? ` (${fields(i).join(', ')})` : ''));
    const more = (c.addedTotal + c.removedTotal + c.changedTotal) - (c.added.length + c.removed.length + c.changed.length);
    if (more > 0) add('more', `… ${name}: ${more} more (${c.addedTotal} added, ${c.removedTotal} removed, ${c.changedTotal} changed in all)`);
  });
  diff.settings.forEach((s) => add('changed', '~ ', value(s.key), ': ', value(s.before ?? '(unset)'), ' → ', value(s.after ?? '(unset)'), s.note ? ` — ${s.note}` : ''));
  if (!list.children.length) add('none', 'Nothing would change.');
}

async function runRestore(form, backupId, request) {
  const out = form.querySelector('[data-restore-result]');
  out.classList.remove('failed');
  out.textContent = 'Restoring… (a safety backup first)';
  const { response, body } = await postJson(`/api/v1/backups/${backupId}/restore`, request);
  if (response.status !== 202) {
    out.textContent = (body.error && body.error.message) || `HTTP ${response.status}`;
    out.classList.add('failed');
    return;
  }
  let restore = body.restore;
  while (restore.state === 'queued' || restore.state === 'running') {
    out.textContent = restore.state === 'queued' ? `Queued: ${restore.message}` : 'Restoring… (a safety backup first)';
    await new Promise((resolve) => setTimeout(resolve, 500));
    restore = await (await send(`/api/v1/restores/${restore.id}`, { headers: { Accept: 'application/json' } })).json();
  }
  out.textContent = restore.message;
  if (restore.state !== 'verified') out.classList.add('failed');
  if (restore.refusedSettings && restore.refusedSettings.length) {
    out.append(' — settings refused or not applied: ');
    appendValues(out, restore.refusedSettings, '; ');
  }
  if (restore.differences && restore.differences.length) {
    out.append(' — ');
    appendValues(out, restore.differences, '; ');
  }
  if (restore.snapshotId) {
    const undo = document.createElement('button');
    undo.type = 'button';
    undo.className = 'secondary';
    undo.textContent = `Undo (restore the safety backup ${restore.snapshotId})`;
    undo.dataset.undo = String(restore.snapshotId);
    undo.addEventListener('click', () => {
      if (window.confirm('Put the Pi-hole back as it was before this restore?')) {
        runRestore(form, restore.snapshotId, { target: request.target, mode: request.mode, parts: request.parts });
      }
    });
    out.append(' ', undo);
  }
}

document.addEventListener('click', async (event) => {
  const preview = event.target.closest('[data-restore-preview]');
  const start = event.target.closest('[data-restore-start]');
  if (!preview && !start) return;
  // the buttons also submit the form, for a browser without scripts: here the API is asked instead
  event.preventDefault();
  const form = event.target.closest('[data-restore-form]');
  const backupId = form.dataset.backup;
  const request = restoreRequest(form);
  if (!request.target) { // the empty choice, offered when the backup's own Pi-hole is removed: asked of the person, not the API
    form.querySelector('[data-restore-result]').textContent = 'Choose the Pi-hole to restore this backup to: its own Pi-hole is removed.';
    return;
  }
  // a restore is previewed first too: its warnings (a password, app password or 2FA that will change) are shown on the page and
  // asked about in the confirmation, from this same dry run, before anything is sent to the Pi-hole (outsider 51, F4)
  const out = form.querySelector('[data-restore-result]');
  out.classList.remove('failed');
  out.textContent = 'Comparing with the Pi-hole…';
  const { response, body } = await postJson(`/api/v1/backups/${backupId}/restore`, { ...request, dryRun: true });
  out.textContent = response.ok ? `What "${body.mode}" would change:` : ((body.error && body.error.message) || `HTTP ${response.status}`);
  if (!response.ok) {
    out.classList.add('failed');
    return;
  }
  showPreview(form.querySelector('[data-restore-preview-list]'), body.preview, body.warnings);
  if (preview) return;
  const warnings = (body.warnings || []).map((w) => `⚠ ${w}`).join('\n');
  const question = 'Restore this backup now? A safety backup of the target is taken first.';
  if (window.confirm(warnings ? `${question}\n\nRead this first:\n${warnings}` : question)) runRestore(form, backupId, request);
});

// Settings: a test message through every notification provider, with each outcome.
document.addEventListener('click', async (event) => {
  const button = event.target.closest('[data-notify-test]');
  if (!button) return;
  const list = document.querySelector('[data-notify-results]');
  button.disabled = true;
  list.replaceChildren();
  const response = await send('/api/v1/notifications/test', { method: 'POST', headers: { Accept: 'application/json' } });
  const body = await response.json().catch(() => ({}));
  const results = body.results || [{ provider: 'all', delivered: false, error: (body.error && body.error.message) || `HTTP ${response.status}` }];
  results.forEach((r) => {
    const li = document.createElement('li');
    li.textContent = `${r.provider}: ${r.delivered ? 'delivered' : `failed — ${r.error}`}`;
    if (!r.delivered) li.className = 'failed';
    li.dataset.provider = r.provider;
    list.append(li);
  });
  button.disabled = false;
});

// Settings: Test of an off-site destination through the API, its outcome shown beside it. Without
// JavaScript the form posts to the page, which shows the same outcome after its redirect.
document.addEventListener('submit', async (event) => {
  const form = event.target.closest('form[data-offsite-test]');
  if (!form) return;
  event.preventDefault();
  const button = form.querySelector('button');
  const out = form.parentElement.querySelector('[data-test-result]');
  button.disabled = true;
  out.classList.remove('failed');
  out.textContent = 'Testing…';
  const response = await send(`/api/v1/offsite/${encodeURIComponent(form.dataset.offsiteTest)}/test`, { method: 'POST', headers: { Accept: 'application/json' } });
  const body = await response.json().catch(() => ({}));
  const test = body.test;
  if (test && test.ok) {
    out.textContent = `OK: ${test.message} in ${(test.millis / 1000).toFixed(2)} s (${formatTime(test.at)})`;
  } else {
    out.textContent = test ? `Failed after ${(test.millis / 1000).toFixed(2)} s: ${test.message} (${formatTime(test.at)})`
      : ((body.error && body.error.message) || `HTTP ${response.status}`);
    out.classList.add('failed');
  }
  button.disabled = false;
});

// Settings, a destination's form: "Test these settings" through the API, without reloading, so that
// secrets typed stay in their fields. Empty fields are left out (a stored secret is then used).
document.addEventListener('submit', async (event) => {
  const form = event.target.closest('form[data-destination-form]');
  if (!form || !event.submitter || event.submitter.value !== 'test') return;
  event.preventDefault();
  const out = document.querySelector('[data-test-result]');
  const numbers = ['maxBackups', 'maxAgeDays', 'keepDaily', 'keepWeekly', 'keepMonthly', 'timeoutSeconds'];
  const body = { name: form.dataset.destinationForm || (form.elements.name ? form.elements.name.value : '') };
  new FormData(form).forEach((value, key) => {
    if (key === '_csrf' || key === 'action' || key === 'name' || value === '') return;
    if (numbers.includes(key)) body[key] = /^\d+$/.test(value) ? Number(value) : value;
    else if (key === 'encrypt' || key === 'pathStyle') body[key] = value === 'true';
    else body[key] = value;
  });
  event.submitter.disabled = true;
  out.hidden = false;
  out.className = '';
  out.textContent = 'Testing…';
  const response = await send('/api/v1/offsite/test', { method: 'POST', headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
    body: JSON.stringify(body) });
  const answer = await response.json().catch(() => ({}));
  const test = answer.test;
  if (test && test.ok) {
    out.textContent = `OK: ${test.message} in ${(test.millis / 1000).toFixed(2)} s`;
    out.className = 'ok';
  } else {
    out.textContent = test ? `Failed at ${test.step}: ${test.message}`
      : ((answer.error && answer.error.fields && Object.values(answer.error.fields).join('; ')) || (answer.error && answer.error.message)
        || `HTTP ${response.status}`);
    out.className = 'problem';
  }
  event.submitter.disabled = false;
});

// Sync: while a run asked for on the page is under way, the page looks again every few seconds
// (without JavaScript the note says to reload).
if (document.querySelector('[data-sync-pending]')) setTimeout(() => window.location.reload(), 3000);

// Schedule preview: while a schedule is chosen or a cron expression typed, the next runs it gives (or
// why it cannot be used), from the same rules as saving it. Without JavaScript the saved schedule's runs still show.
(() => {
  const out = document.querySelector('[data-schedule-preview]');
  const cron = document.querySelector('input[name=cron]');
  const kind = document.querySelector('select[name=scheduleKind]');
  const time = document.querySelector('input[name=time]');
  const day = document.querySelector('select[name=day]');
  if (!out || !cron || !kind || !time || !day || cron.readOnly) return;
  const saved = out.textContent;
  let timer;
  let asked = 0;
  // an hourly, daily or weekly schedule is asked about as the crontab line it fires as (Schedule.crontab on the server)
  function line() {
    if (kind.value === 'cron') return cron.value.trim();
    const at = /^(\d{1,2}):(\d{2})$/.exec(time.value.trim());
    if (!at) return null;
    const [hour, minute] = [Number(at[1]), Number(at[2])];
    if (kind.value === 'hourly') return `${minute} * * * *`;
    return kind.value === 'weekly' ? `${minute} ${hour} * * ${day.value.slice(0, 3).toUpperCase()}` : `${minute} ${hour} * * *`;
  }
  async function preview() {
    if (kind.value === 'cron' && !cron.value.trim()) {
      out.textContent = saved;
      out.classList.remove('failed');
      return;
    }
    const asking = line();
    if (asking === null) {
      out.textContent = 'Enter the time as HH:MM (e.g. 03:00) to see the next runs.';
      out.classList.add('failed');
      return;
    }
    const mine = ++asked;
    const response = await send(`/api/v1/schedules/preview?cron=${encodeURIComponent(asking)}`, { headers: { Accept: 'application/json' } });
    const body = await response.json().catch(() => ({}));
    if (mine !== asked) return; // a later keystroke's answer is the one to show
    if (response.ok) {
      out.textContent = body.shown.length ? `Next runs (${body.timeZone}): ${body.shown.join(', ')}` : 'It never fires.';
      out.classList.remove('failed');
    } else {
      out.textContent = (body.error && body.error.fields && body.error.fields.cron) || (body.error && body.error.message) || `HTTP ${response.status}`;
      out.classList.add('failed');
    }
  }
  const later = () => { clearTimeout(timer); timer = setTimeout(preview, 400); };
  cron.addEventListener('input', later);
  time.addEventListener('input', later);
  day.addEventListener('change', later);
  kind.addEventListener('change', later);
})();
