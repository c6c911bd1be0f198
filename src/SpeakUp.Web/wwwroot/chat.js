// SpeakUp web chat. Every piece of text is put into the page with textContent, never parsed as HTML: what a supporter (or a
// campaign file) writes can only ever show as text.
'use strict';

(() => {
  const $ = (id) => document.getElementById(id);
  const params = new URLSearchParams(location.search);
  const embedded = params.get('embed') === '1';
  const startPayload = /^[A-Za-z0-9_-]{1,64}$/.test(params.get('start') || '') ? params.get('start') : null;
  const mediaKinds = new Set(['photo', 'video', 'voice']);

  const state = {
    csrf: '',
    lang: localStorage.getItem('speakup.lang') || params.get('lang') || (navigator.language || '').slice(0, 2),
    languages: [],
    strings: {},
    simulator: false,
    actAs: sessionStorage.getItem('speakup.actAs') || '',
    maxLength: 4096,
    maxUploadBytes: 0,
    lastSeq: 0,
    events: null,
    reconnectTimer: 0,
    noticeTimer: 0,
  };

  /** message id → the row showing it, so a message that replaces another updates it in place. */
  const rows = new Map();

  const log = $('log');
  const text = $('text');

  function t(key) {
    return state.strings[key] || '';
  }

  function el(tag, className) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    return node;
  }

  function newId() {
    const bytes = new Uint8Array(12);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  }

  function withActAs(path) {
    if (!state.actAs) return path;
    return path + (path.includes('?') ? '&' : '?') + 'as=' + encodeURIComponent(state.actAs);
  }

  function headers(extra) {
    const h = Object.assign({ 'X-SpeakUp-Csrf': state.csrf }, extra || {});
    if (state.actAs) h['X-SpeakUp-Act-As'] = state.actAs;
    return h;
  }

  // ---- Labels and language ----------------------------------------------------------------------------------

  function applyStrings() {
    document.documentElement.lang = state.lang;
    document.title = t('web.title') || 'SpeakUp';
    $('title').textContent = t('web.title');
    text.placeholder = t('web.placeholder');
    text.maxLength = state.maxLength;
    $('send').setAttribute('aria-label', t('web.send'));
    $('send').title = t('web.send');
    $('attach').setAttribute('aria-label', t('web.attach'));
    $('attach').title = t('web.attach');
    $('start-hint').textContent = t('web.start_hint');
    $('start-button').textContent = t('web.start');
    $('actas-label').textContent = t('web.act_as');
    $('actas-apply').textContent = t('web.act_as_apply');
    $('sim-note').textContent = t('web.simulator_note');
    $('sim').hidden = !state.simulator;
    $('sim-summary').textContent = t('web.simulator') + (state.actAs ? ' · ' + state.actAs : '');
    if (state.actAs) $('sim').open = true;
    $('actas').value = state.actAs;
    const langs = $('langs');
    langs.setAttribute('aria-label', t('web.language'));
    langs.replaceChildren(...state.languages.map((l) => {
      const b = el('button');
      b.type = 'button';
      b.lang = l.code;
      b.textContent = l.name;
      b.setAttribute('aria-pressed', String(l.code === state.lang));
      b.addEventListener('click', () => chooseLanguage(l.code));
      return b;
    }));
    setStatus(state.events && state.events.readyState === EventSource.OPEN ? 'online' : 'connecting');
  }

  async function loadSession() {
    const query = 'chat/session?lang=' + encodeURIComponent(state.lang) + (embedded ? '&embed=1' : '');
    const response = await fetch(withActAs(query), { credentials: 'same-origin', cache: 'no-store' });
    const data = await response.json();
    if (!response.ok) throw new Error(data.error || response.statusText);
    state.csrf = data.csrf;
    state.lang = data.lang;
    state.languages = data.languages;
    state.strings = data.strings;
    state.simulator = data.simulator;
    state.maxLength = data.maxLength;
    state.maxUploadBytes = data.maxUploadBytes;
    applyStrings();
  }

  /** The chat's language changed (the supporter picked one): relabel the page to match. */
  async function followLanguage(lang) {
    if (!lang || lang === state.lang) return;
    state.lang = lang;
    localStorage.setItem('speakup.lang', lang);
    await loadSession();
  }

  /** The switch in the bar: relabel the page, and once the chat has begun tell the bot too (its language button). */
  async function chooseLanguage(lang) {
    if (lang === state.lang && rows.size > 0) return;
    state.lang = lang;
    localStorage.setItem('speakup.lang', lang);
    await loadSession();
    if (rows.size > 0) await press('l:' + lang, null, null);
  }

  // ---- Rendering ------------------------------------------------------------------------------------------------

  function fill(row, entry) {
    const bubble = el('div', 'bubble');
    if (entry.media && mediaKinds.has(entry.media)) {
      const media = el('span', 'media');
      media.textContent = t('web.media_' + entry.media) || entry.media;
      bubble.append(media);
    }

    for (const span of entry.spans || []) {
      let node;
      if (span.s === 'b') node = el('strong');
      else if (span.s === 'i') node = el('em');
      else if (span.s === 'a' && /^https?:\/\//i.test(span.u || '')) {
        node = el('a');
        node.href = span.u;
        node.target = '_blank';
        node.rel = 'noopener noreferrer';
      } else node = el('span');
      node.textContent = span.t;
      bubble.append(node);
    }

    const time = el('time', 'time');
    const at = new Date(entry.at);
    time.dateTime = at.toISOString();
    time.textContent = at.toLocaleTimeString(state.lang === 'hi' ? 'hi-IN' : 'en-IN', { hour: '2-digit', minute: '2-digit' });
    bubble.append(time);

    const parts = [bubble];
    const keyRows = entry.buttons || [];
    if (keyRows.length > 0) {
      const keys = el('div', 'keys');
      for (const keyRow of keyRows) {
        const line = el('div', 'keyrow');
        for (const b of keyRow) {
          let key;
          if (b.d) {
            key = el('button', 'key');
            key.type = 'button';
            key.addEventListener('click', () => press(b.d, row.dataset.id, key));
          } else if (/^https?:\/\//i.test(b.u || '')) {
            key = el('a', 'key');
            key.href = b.u;
            key.target = '_blank';
            key.rel = 'noopener noreferrer';
          } else continue;
          key.textContent = b.l;
          line.append(key);
        }
        keys.append(line);
      }
      parts.push(keys);
    }
    row.classList.toggle('keyed', keyRows.length > 0);
    row.replaceChildren(...parts);
  }

  function render(entry) {
    if (entry.replaces && rows.has(entry.replaces)) {
      fill(rows.get(entry.replaces), entry);
    } else {
      const row = el('div', 'row ' + (entry.from === 'me' ? 'me' : 'bot'));
      row.dataset.id = entry.replaces || String(entry.seq);
      rows.set(row.dataset.id, row);
      fill(row, entry);
      log.append(row);
    }
    $('start').hidden = true;
  }

  function receive(entry) {
    if (typeof entry.seq !== 'number' || entry.seq <= state.lastSeq) return;
    state.lastSeq = entry.seq;
    const atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 80;
    render(entry);
    if (atBottom || entry.from === 'me') log.scrollTop = log.scrollHeight;
  }

  function clearLog() {
    rows.clear();
    log.replaceChildren();
    state.lastSeq = 0;
  }

  function setStatus(which) {
    $('status').textContent = t('web.status_' + which);
    $('status').dataset.state = which;
  }

  function notice(message) {
    const box = $('notice');
    box.textContent = message || t('web.send_failed');
    box.hidden = false;
    clearTimeout(state.noticeTimer);
    state.noticeTimer = setTimeout(() => { box.hidden = true; }, 6000);
  }

  // ---- History and live events -------------------------------------------------------------------------------------

  async function loadHistory() {
    const response = await fetch(withActAs('chat/history?after=' + state.lastSeq), { credentials: 'same-origin', cache: 'no-store' });
    if (!response.ok) throw new Error(response.statusText);
    const data = await response.json();
    for (const entry of data.entries) receive(entry);
    log.scrollTop = log.scrollHeight;
    $('start').hidden = rows.size > 0;
  }

  function connect() {
    if (state.events) state.events.close();
    clearTimeout(state.reconnectTimer);
    setStatus('connecting');
    // EventSource reconnects by itself and sends Last-Event-ID, so the server replays what was missed.
    const events = new EventSource(withActAs('chat/events?after=' + state.lastSeq));
    state.events = events;
    events.onopen = () => setStatus('online');
    events.onmessage = (e) => receive(JSON.parse(e.data));
    events.addEventListener('reset', () => clearLog());
    events.onerror = () => {
      setStatus('offline');
      if (events.readyState === EventSource.CLOSED) {
        // An error answer (not a dropped connection) ends EventSource for good: start a new one from where we are.
        state.reconnectTimer = setTimeout(() => { loadSession().catch(() => {}).finally(connect); }, 3000);
      }
    };
  }

  // ---- Sending --------------------------------------------------------------------------------------------------------

  /**
   * Posts with one delivery id, retried on network errors with the same id (the server handles it once), and once with
   * a fresh token when the session expired. Resolves to {ok, status, data}.
   */
  async function post(path, makeBody, contentType) {
    const deliveryId = newId();
    let renewed = false;
    for (let attempt = 0; attempt < 4; attempt++) {
      let response;
      try {
        const h = contentType ? headers({ 'Content-Type': contentType }) : headers();
        response = await fetch(withActAs(path), { method: 'POST', credentials: 'same-origin', headers: h, body: makeBody(deliveryId) });
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 800 * (attempt + 1)));
        continue;
      }

      const data = await response.json().catch(() => ({}));
      if (response.ok) {
        await followLanguage(data.lang).catch(() => {});
        return { ok: true, status: response.status, data };
      }

      if (response.status === 403 && (data.code === 'csrf' || data.code === 'no_session') && !renewed) {
        renewed = true;
        await loadSession().catch(() => {});
        continue;
      }

      return { ok: false, status: response.status, data };
    }
    return { ok: false, status: 0, data: { error: t('web.send_failed') } };
  }

  function postJson(path, body) {
    return post(path, (deliveryId) => JSON.stringify(Object.assign({ deliveryId, lang: state.lang }, body)), 'application/json');
  }

  async function sendText(value) {
    const message = value.trim();
    if (!message) return;
    if (message.length > state.maxLength) {
      notice(t('web.too_long'));
      return;
    }

    text.value = '';
    const result = await postJson('chat/messages', { text: message });
    if (!result.ok) {
      if (!text.value) text.value = value;
      // "Slow down" is said once, by the bot, in the chat; every other refusal is explained here.
      if (result.data.code !== 'slow_down') notice(result.data.error);
    }
  }

  async function press(data, messageId, key) {
    if (key) key.classList.add('pending');
    try {
      const result = await postJson('chat/buttons', { data, messageId: messageId || null });
      if (!result.ok && result.data.code !== 'slow_down') notice(result.data.error);
    } finally {
      if (key) key.classList.remove('pending');
    }
  }

  async function sendFile(file) {
    if (!file) return;
    if (state.maxUploadBytes && file.size > state.maxUploadBytes) {
      notice(t('web.file_too_big'));
      return;
    }

    $('status').textContent = t('web.uploading');
    const result = await post('chat/media', (deliveryId) => {
      const form = new FormData();
      form.append('deliveryId', deliveryId);
      form.append('lang', state.lang);
      form.append('file', file);
      return form;
    });
    setStatus(state.events && state.events.readyState === EventSource.OPEN ? 'online' : 'connecting');
    if (!result.ok && result.data.code !== 'slow_down') notice(result.data.error);
  }

  // ---- Wiring -----------------------------------------------------------------------------------------------------------

  $('composer').addEventListener('submit', (e) => {
    e.preventDefault();
    sendText(text.value);
  });

  text.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      sendText(text.value);
    }
  });

  $('file').addEventListener('change', (e) => {
    const file = e.target.files && e.target.files[0];
    e.target.value = '';
    sendFile(file);
  });

  $('attach').addEventListener('keydown', (e) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      $('file').click();
    }
  });

  $('start-button').addEventListener('click', () => {
    $('start').hidden = true;
    sendText(startPayload ? '/start ' + startPayload : '/start');
  });

  $('sim-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const value = $('actas').value.trim();
    if (value && !/^-?[0-9]{1,19}$/.test(value)) return;
    state.actAs = value;
    if (value) sessionStorage.setItem('speakup.actAs', value);
    else sessionStorage.removeItem('speakup.actAs');
    await start();
  });

  async function start() {
    if (state.events) state.events.close();
    clearLog();
    try {
      await loadSession();
      await loadHistory();
    } catch (error) {
      notice(error && error.message);
    }
    connect();
  }

  if (embedded) document.body.classList.add('embed');
  start();
})();
