// idgraph's page: sign in with an access token, find a profile by one of
// its identifiers, draw it, explain why two identifiers are (or are not) one
// profile, show its history and the space's health. Every call goes to
// idgraph's own API with the token as the HTTP Basic username; the token is
// kept in sessionStorage only (gone when the tab closes) and never put in a
// URL. No data is written into the page as HTML: every text goes through
// textContent.
'use strict';

(() => {
  const TOKEN = 'idgraph.token';
  const SPACE = 'idgraph.space';
  const $ = (id) => document.getElementById(id);

  // Colours by identifier type; other types get one from a hash of the name.
  const COLOURS = {
    user_id: '#2563eb',
    email: '#7c3aed',
    anonymous_id: '#64748b',
    'ios.id': '#ea580c',
    'android.id': '#16a34a',
    'ios.idfa': '#f59e0b',
    'android.idfa': '#84cc16',
    'ios.push_token': '#db2777',
    'android.push_token': '#be185d',
    ga_client_id: '#0891b2',
    group_id: '#a16207',
  };
  const SPARE = ['#0d9488', '#9333ea', '#dc2626', '#4f46e5', '#65a30d', '#c026d3', '#0284c7', '#b45309'];

  function colourOf(type) {
    if (COLOURS[type]) return COLOURS[type];
    let h = 0;
    for (const ch of type) h = (h * 31 + ch.codePointAt(0)) >>> 0;
    return SPARE[h % SPARE.length];
  }

  const state = { cy: null, graph: null, picks: [] };

  // --- the API -------------------------------------------------------

  function authorization(token) {
    const bytes = new TextEncoder().encode(token + ':');
    let s = '';
    bytes.forEach((b) => { s += String.fromCharCode(b); });
    return 'Basic ' + btoa(s);
  }

  // get fetches an API path with the token; it answers {status, data}.
  async function get(path) {
    const token = sessionStorage.getItem(TOKEN);
    const res = await fetch(path, {
      headers: { Authorization: authorization(token || ''), Accept: 'application/json' },
      credentials: 'omit',
      cache: 'no-store',
      referrerPolicy: 'no-referrer',
    });
    let data = null;
    try { data = await res.json(); } catch (_) { /* not JSON: keep null */ }
    return { status: res.status, data };
  }

  function failure(res) {
    const msg = res.data && res.data.error && res.data.error.message;
    if (res.status === 401) return 'The access token was refused (401): sign out and sign in with a valid one.';
    return `HTTP ${res.status}${msg ? ': ' + msg : ''}`;
  }

  function space() { return sessionStorage.getItem(SPACE) || ''; }

  function profilePath(id, route) {
    return `/v1/spaces/${encodeURIComponent(space())}/collections/users/profiles/${encodeURIComponent(id)}/${route}`;
  }

  // --- small DOM helpers -----------------------------------------------

  function el(tag, props, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
      if (k === 'class') e.className = v;
      else if (k === 'text') e.textContent = v;
      else e.setAttribute(k, v);
    }
    for (const c of children) {
      if (c === null || c === undefined || c === false) continue;
      e.append(typeof c === 'string' || typeof c === 'number' ? String(c) : c);
    }
    return e;
  }
  const code = (s) => el('code', { text: s });
  const idText = (i) => (i ? `${i.type}:${i.value}` : '');

  function when(t) {
    if (!t) return '';
    const d = new Date(t);
    return isNaN(d) ? String(t) : d.toISOString().replace('.000Z', 'Z');
  }

  function setStatus(text, isError) {
    const s = $('status');
    s.textContent = text;
    s.classList.toggle('error', !!isError);
  }

  function eventText(e) {
    if (!e || !e.message_id) return null;
    const what = e.event ? `${e.type} "${e.event}"` : e.type;
    return el('span', {}, code(e.message_id), ` (${what} from ${e.source_id} at ${when(e.timestamp)})`);
  }

  // --- signing in ------------------------------------------------------

  function showSession() {
    const signedIn = !!sessionStorage.getItem(TOKEN);
    $('signin').hidden = signedIn;
    $('session').hidden = !signedIn;
    $('session-space').textContent = space();
    $('search').querySelector('button').disabled = !signedIn;
  }

  function signIn(ev) {
    ev.preventDefault();
    const token = $('token').value.trim();
    const sp = $('space').value.trim();
    if (!token || !sp) return;
    sessionStorage.setItem(TOKEN, token);
    sessionStorage.setItem(SPACE, sp);
    $('token').value = '';
    showSession();
    setStatus(`Signed in to space ${sp}. Find a profile by one of its identifiers.`);
    loadHealth();
  }

  function signOut() {
    sessionStorage.removeItem(TOKEN);
    sessionStorage.removeItem(SPACE);
    clearProfile();
    $('health-body').replaceChildren(el('p', { class: 'muted', text: 'Not loaded.' }));
    showSession();
    setStatus('Signed out. Sign in with an access token of a space.');
  }

  // --- the profile graph -------------------------------------------------

  function clearProfile() {
    if (state.cy) state.cy.destroy();
    state.cy = null;
    state.graph = null;
    state.picks = [];
    $('profile-id').textContent = '';
    $('legend').replaceChildren();
    $('identifiers').replaceChildren();
    $('profile-identifiers').replaceChildren();
    $('explanation').replaceChildren();
    $('timeline').replaceChildren();
  }

  async function findProfile(ev) {
    ev.preventDefault();
    const id = $('identifier').value.trim();
    if (!id.includes(':')) {
      setStatus('Write the identifier as type:value, for example user_id:abc123def.', true);
      return;
    }
    setStatus(`Looking up ${id}…`);
    const res = await get(profilePath(id, 'graph?limit=1000'));
    if (res.status !== 200) {
      clearProfile();
      setStatus(`${id}: ${failure(res)}`, true);
      return;
    }
    clearProfile();
    state.graph = res.data;
    draw(res.data);
    $('explain-from').value = id;
    $('explain-to').value = '';
    const g = res.data;
    setStatus(`${id} is in profile ${g.profile_id}: ${g.nodes.length} identifiers, ${g.links.length} links` +
      (g.truncated ? ' (more identifiers than drawn).' : '.'));
    loadHistory(id);
  }

  function weight(count) { return 1.5 + 2.5 * Math.log2(1 + count); }

  function draw(g) {
    $('profile-id').textContent = g.profile_id;
    const elements = [];
    for (const n of g.nodes) {
      elements.push({ group: 'nodes', data: { id: n.id, label: n.id, type: n.type, colour: colourOf(n.type) } });
    }
    g.links.forEach((l, i) => {
      elements.push({
        group: 'edges',
        data: { id: `link${i}`, source: l.source, target: l.target, count: l.count, width: weight(l.count), label: String(l.count) },
      });
    });
    const cy = window.cytoscape({
      container: $('graph'),
      elements,
      wheelSensitivity: 0.3,
      style: [
        { selector: 'node', style: {
          'background-color': 'data(colour)', label: 'data(label)', 'font-size': 11, color: '#1f2430',
          'text-valign': 'bottom', 'text-margin-y': 4, width: 26, height: 26,
          'text-background-color': '#ffffff', 'text-background-opacity': 0.8, 'text-background-padding': 2 } },
        { selector: 'edge', style: {
          width: 'data(width)', 'line-color': '#98a2b3', label: 'data(label)', 'font-size': 10, color: '#475467',
          'curve-style': 'bezier', 'text-background-color': '#ffffff', 'text-background-opacity': 1, 'text-background-padding': 1 } },
        { selector: 'node.picked', style: { 'border-width': 4, 'border-color': '#111827' } },
        { selector: 'node.on-path', style: { 'border-width': 4, 'border-color': '#f59e0b' } },
        { selector: 'edge.path', style: { 'line-color': '#f59e0b', width: 'mapData(count, 1, 20, 6, 12)', 'z-index': 10 } },
        { selector: '.faded', style: { opacity: 0.25 } },
        { selector: 'node.outside', style: { shape: 'round-rectangle', 'background-color': '#ffffff', 'border-width': 3, 'border-color': 'data(colour)', 'border-style': 'dashed' } },
        { selector: 'edge.refused', style: { 'line-color': '#c2410c', 'line-style': 'dashed', width: 3, label: 'data(label)', color: '#c2410c' } },
        { selector: 'edge.cut', style: { 'line-color': '#475467', 'line-style': 'dotted', width: 3, label: 'data(label)' } },
      ],
    });
    // A small profile is mostly a star around its most linked identifier
    // (an event links its identifiers to its highest-priority one): that one
    // in the middle, the rest on a ring, the same way every time. A large
    // profile needs forces.
    const hub = Math.max(...cy.nodes().map((n) => n.degree()));
    cy.layout(g.nodes.length <= 40
      ? { name: 'concentric', animate: false, padding: 40, minNodeSpacing: 90, concentric: (n) => (n.degree() === hub ? 2 : 1), levelWidth: () => 1 }
      : { name: 'cose', animate: false, padding: 40, nodeRepulsion: () => 20000, idealEdgeLength: () => 120 }).run();
    // A small profile fits at a large zoom, where labels crowd: cap it.
    if (cy.zoom() > 1.2) {
      cy.zoom(1.2);
      cy.center();
    }
    cy.on('tap', 'node', (e) => pick(e.target.id()));
    state.cy = cy;

    const types = [...new Set(g.nodes.map((n) => n.type))].sort();
    $('legend').replaceChildren(...types.map((t) => {
      const sw = el('span', { class: 'swatch' });
      sw.style.background = colourOf(t);
      return el('li', { 'data-type': t }, sw, t);
    }));
    $('identifiers').replaceChildren(...g.nodes.map((n) => {
      const sw = el('span', { class: 'swatch' });
      sw.style.background = colourOf(n.type);
      const li = el('li', { 'data-id': n.id, title: `first seen ${when(n.first_seen)} from ${n.source_id}` }, sw, n.id);
      li.addEventListener('click', () => pick(n.id));
      return li;
    }));
    $('profile-identifiers').replaceChildren(...g.nodes.map((n) => el('option', { value: n.id })));
  }

  // pick takes a clicked identifier: the first of two, then the second,
  // which explains the pair.
  function pick(id) {
    if (state.picks.length >= 2) state.picks = [];
    state.picks.push(id);
    if (state.cy) {
      state.cy.nodes().removeClass('picked');
      for (const p of state.picks) state.cy.getElementById(p).addClass('picked');
    }
    if (state.picks.length === 1) {
      $('explain-from').value = id;
      $('explain-to').value = '';
      return;
    }
    $('explain-to').value = id;
    explain(state.picks[0], state.picks[1]);
  }

  // --- explanations ------------------------------------------------------

  function clearHighlight() {
    const cy = state.cy;
    if (!cy) return;
    cy.remove('.outside, edge.refused, edge.cut');
    cy.elements().removeClass('path on-path faded');
  }

  function edgeBetween(a, b) {
    return state.cy.edges().filter((e) => !e.hasClass('refused') && !e.hasClass('cut') &&
      ((e.source().id() === a && e.target().id() === b) || (e.source().id() === b && e.target().id() === a)));
  }

  // ensureNode draws an identifier outside the profile, for a refused or cut link.
  function ensureNode(i) {
    const id = idText(i);
    let n = state.cy.getElementById(id);
    if (n.empty()) {
      const bb = state.cy.nodes().boundingBox();
      const k = state.cy.nodes('.outside').length;
      n = state.cy.add({
        group: 'nodes', classes: 'outside',
        data: { id, label: id, type: i.type, colour: colourOf(i.type) },
        position: { x: bb.x2 + 120, y: bb.y1 + 60 * k },
      });
    }
    return n;
  }

  async function explain(from, to) {
    if (!sessionStorage.getItem(TOKEN)) return;
    const box = $('explanation');
    box.replaceChildren(el('p', { class: 'muted', text: `Explaining ${from} and ${to}…` }));
    const res = await get(profilePath(from, 'explain?to=' + encodeURIComponent(to)));
    if (res.status !== 200) {
      box.replaceChildren(el('p', { class: 'apart', text: `${from} and ${to}: ${failure(res)}` }));
      return;
    }
    const x = res.data;
    clearHighlight();
    const parts = [];
    if (x.together) {
      parts.push(el('p', { class: 'together', text:
        `Together in profile ${x.from_profile}` + (x.path.length ? ` through ${x.path.length} ${x.path.length === 1 ? 'link' : 'links'}.` : '.') }));
      const cy = state.cy;
      if (cy && x.path.length) {
        cy.elements().addClass('faded');
        for (const h of x.path) {
          const a = idText(h.from), b = idText(h.to);
          edgeBetween(a, b).removeClass('faded').addClass('path');
          cy.getElementById(a).removeClass('faded').addClass('on-path');
          cy.getElementById(b).removeClass('faded').addClass('on-path');
        }
      }
      parts.push(el('ol', { class: 'hops' }, ...x.path.map(hopItem)));
    } else {
      parts.push(el('p', { class: 'apart', text: `Apart: profile ${x.from_profile} and profile ${x.to_profile}.` }));
      if (state.cy) {
        x.rejections.forEach((r, i) => {
          const a = ensureNode(r.from), b = ensureNode(r.to);
          state.cy.add({ group: 'edges', classes: 'refused', data: { id: `refused${i}`, source: a.id(), target: b.id(), label: r.rule, count: r.count } });
        });
        x.cuts.forEach((c, i) => {
          const a = ensureNode(c.from), b = ensureNode(c.to);
          state.cy.add({ group: 'edges', classes: 'cut', data: { id: `cut${i}`, source: a.id(), target: b.id(), label: 'cut', count: c.count } });
        });
      }
      if (x.rejections.length) {
        parts.push(el('h3', { text: 'Refused links' }));
        parts.push(el('ul', { class: 'refusals' }, ...x.rejections.map((r) => el('li', { 'data-rule': r.rule },
          'rule ', el('strong', { text: r.rule }), ' refused ', code(idText(r.from)), ' – ', code(idText(r.to)),
          ' in ', eventText(r.event), r.count > 1 ? ` (${r.count} times)` : '', r.detail ? `: ${r.detail}` : ''))));
      }
      if (x.decisions.length) {
        parts.push(el('h3', { text: 'Decisions' }));
        parts.push(el('ul', { class: 'decisions' }, ...x.decisions.map((d) => el('li', {},
          `${d.decision} decision `, code(d.id), ` by ${d.actor}: `, code(idText(d.a)), ' and ', code(idText(d.b)),
          d.reason ? ` (${d.reason})` : '', d.removed ? ', since removed' : ''))));
      }
      if (x.cuts.length) {
        parts.push(el('h3', { text: 'Cut links' }));
        parts.push(el('ul', { class: 'cuts' }, ...x.cuts.map((c) => el('li', {},
          code(idText(c.from)), ' – ', code(idText(c.to)), ` (${c.count} events) cut by ${c.actor} at ${when(c.at)}`,
          c.reason ? ` (${c.reason})` : ''))));
      }
    }
    parts.push(el('p', { class: 'summary', text: x.summary }));
    box.replaceChildren(...parts);
  }

  function hopItem(h) {
    const li = el('li', { 'data-from': idText(h.from), 'data-to': idText(h.to) }, code(idText(h.from)), ' – ', code(idText(h.to)), ': ');
    if (h.decision) {
      li.append(`joined by the always decision `, code(h.decision.id), ` of ${h.decision.actor}`,
        h.decision.reason ? ` (${h.decision.reason})` : '', '.');
      return li;
    }
    li.append(`seen together in ${h.count} ${h.count === 1 ? 'event' : 'events'}, first in `, eventText(h.first_event));
    if (h.count > 1) li.append(', last in ', eventText(h.last_event));
    li.append('.');
    return li;
  }

  function explainSubmit(ev) {
    ev.preventDefault();
    const from = $('explain-from').value.trim(), to = $('explain-to').value.trim();
    if (from && to) explain(from, to);
  }

  // --- history ---------------------------------------------------------

  const KIND_LABELS = {
    created: 'created', identifier_added: 'identifier added', merged: 'merged', split: 'split',
    linked: 'decision made', unlinked: 'decision removed', identifier_removed: 'identifier removed', identifier_left: 'identifier left',
  };
  const CORRECTIONS = new Set(['split', 'linked', 'unlinked', 'identifier_removed', 'identifier_left']);

  function historyText(e) {
    const by = e.actor ? ` by ${e.actor}` : '';
    const why = e.reason ? ` (${e.reason})` : '';
    const d = e.detail || {};
    switch (e.kind) {
      case 'created': return `profile ${e.profile_id} created`;
      case 'identifier_added': return `${idText(e.identifier)} joined`;
      case 'merged': return `profile ${e.merged_profile_id} merged into ${e.profile_id}`;
      case 'identifier_left': return `${idText(e.identifier)} left for ${e.to_profile_id || 'another profile'}${by}${why}`;
      case 'split': return `split${by}${why}: ${(d.cut || []).length} links cut, ${(d.parts || []).length} parts`;
      case 'identifier_removed': return `identifier removed${by}${why}`;
      case 'linked':
      case 'unlinked': return `${d.decision || ''} decision ${d.decision_id || ''} ${e.kind === 'linked' ? 'made' : 'removed'}${by}${why}: ${idText(d.a)} and ${idText(d.b)}`;
      default: return e.kind;
    }
  }

  async function loadHistory(id) {
    const list = $('timeline');
    list.replaceChildren();
    let next = '';
    for (let page = 0; page < 20; page++) {
      const res = await get(profilePath(id, 'history?limit=100' + (next ? '&next=' + encodeURIComponent(next) : '')));
      if (res.status !== 200) {
        list.append(el('li', { class: 'correction', text: `History: ${failure(res)}` }));
        return;
      }
      for (const e of res.data.data) {
        const li = el('li', { 'data-kind': e.kind, class: CORRECTIONS.has(e.kind) ? 'correction' : '' },
          el('time', { datetime: e.at, text: when(e.at) }),
          el('span', { class: 'kind', text: KIND_LABELS[e.kind] || e.kind }), ' ', historyText(e));
        if (e.message_id) li.append(' · event ', code(e.message_id), e.source_id ? ` from ${e.source_id}` : '');
        list.append(li);
      }
      const c = res.data.cursor || {};
      if (!c.has_more || !c.next) return;
      next = c.next;
    }
  }

  // --- the space's health ---------------------------------------------------

  async function loadHealth() {
    const box = $('health-body');
    const path = `/v1/spaces/${encodeURIComponent(space())}/health`;
    box.replaceChildren(el('p', { class: 'muted', text: 'Loading…' }));
    let res;
    try {
      res = await get(path);
    } catch (err) {
      box.replaceChildren(el('p', { class: 'apart', text: `The health report could not be fetched: ${err.message}` }));
      return;
    }
    if (res.status === 404) {
      box.replaceChildren(el('p', { class: 'unavailable', text:
        `No health report: GET ${path} answered 404 (${(res.data && res.data.error && res.data.error.message) || 'not found'}). ` +
        'This idgraph does not serve the health report yet, or the token does not open this space.' }));
      return;
    }
    if (res.status !== 200) {
      box.replaceChildren(el('p', { class: 'apart', text: `No health report: ${failure(res)}` }));
      return;
    }
    renderHealth(res.data);
  }

  // sizeRange names a size bucket: 1, 3–5, or 1001+ (max 0: no upper bound).
  function sizeRange(s) {
    if (!s.max) return `${s.min}+`;
    return s.min === s.max ? String(s.min) : `${s.min}–${s.max}`;
  }

  function figure(label, value, key) {
    return el('div', { 'data-figure': key }, el('dt', { text: label }), el('dd', { text: String(value) }));
  }

  function renderHealth(h) {
    const parts = [
      el('dl', { class: 'figures' },
        figure('profiles', h.profiles, 'profiles'),
        figure('identifiers', h.identifiers, 'identifiers'),
        figure('singletons', h.singletons, 'singletons')),
    ];
    const storm = h.merge_storm || {};
    parts.push(storm.detected
      ? el('p', { class: 'storm', 'data-storm': 'detected', text:
        `Merge storm at ${when(storm.hour)}: ${storm.merges} merges in the hour, against a trailing median of ${storm.trailing_median}.` })
      : el('p', { 'data-storm': 'none', text: 'No merge storm: merges per hour stay near their trailing median.' }));
    const grid = el('div', { class: 'health-grid' });
    const largest = (h.largest_profiles || []).slice(0, 5);
    if (largest.length) {
      grid.append(el('table', { class: 'largest' },
        el('caption', { class: 'muted', text: 'Largest profiles' }),
        el('tr', {}, el('th', { text: 'profile' }), el('th', { text: 'identifiers' }), el('th', { text: 'merges' })),
        ...largest.map((p) => el('tr', {}, el('td', {}, code(p.profile_id)), el('td', { text: String(p.identifiers) }), el('td', { text: String(p.merge_count) })))));
    }
    const sizes = h.size_distribution || [];
    if (sizes.length) {
      grid.append(el('table', { class: 'sizes' },
        el('caption', { class: 'muted', text: 'Profile sizes' }),
        el('tr', {}, el('th', { text: 'identifiers' }), el('th', { text: 'profiles' })),
        ...sizes.map((s) => el('tr', {}, el('td', { text: sizeRange(s) }), el('td', { text: String(s.profiles) })))));
    }
    parts.push(grid);
    parts.push(el('p', { class: 'muted', text: `Generated ${when(h.generated_at)} in ${h.took_ms} ms.` }));
    $('health-body').replaceChildren(...parts);
  }

  // --- start ---------------------------------------------------------------

  // For tests and the console: the drawn graph.
  window.idgraph = { get cy() { return state.cy; } };

  document.addEventListener('DOMContentLoaded', () => {
    $('signin').addEventListener('submit', signIn);
    $('signout').addEventListener('click', signOut);
    $('search').addEventListener('submit', findProfile);
    $('explain-form').addEventListener('submit', explainSubmit);
    if (space()) $('space').value = space();
    showSession();
    if (sessionStorage.getItem(TOKEN)) {
      setStatus(`Signed in to space ${space()}. Find a profile by one of its identifiers.`);
      loadHealth();
    }
  });
})();
