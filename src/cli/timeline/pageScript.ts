/**
 * The timeline page's script and style, inlined into the page (no network, no framework). Plain
 * ES2020 for the browser, kept as text here; the browser test (test/cli/timelinePage.spec.ts)
 * runs it in headless Chromium.
 *
 * What it does, against the data in `<script id="proctree-data">` (see timelineModel.ts):
 * - lanes: one per process, nested under its spawn parent (depth-first), virtualised (only the
 *   rows in view are in the DOM); a bar from start to exit (exit code in its tooltip), marks for
 *   the fork (bar start), each exec, each reparenting, and each finding (click: the finding);
 * - a time cursor (drag on the axis or the lanes; Home/End; `[`/`]` step through the selected
 *   process's changes) and, beside it, the tree as of the cursor: the processes alive then, under
 *   their parent then, with the selected process's argv, binary, interpreter and threads then;
 * - search by pid, name or path (Enter: next match), collapse/expand (click the triangle, ←/→),
 *   ↑/↓ to move between lanes, +/− to zoom, `/` to search.
 * `window.proctreeTimeline` exposes the cursor and the tree at it, for tests and the console.
 *
 * @module
 */

/** The page's CSS. */
export const PAGE_STYLE = String.raw`
*{box-sizing:border-box}
body{margin:0;font:12px/1.4 system-ui,sans-serif;color:#1d2330;background:#fbfbfd;height:100vh;display:flex;flex-direction:column}
header{padding:6px 10px;border-bottom:1px solid #d9dce3;display:flex;gap:12px;align-items:center;flex-wrap:wrap}
header h1{font-size:14px;margin:0;font-weight:600}
header .notes{color:#8a4b00;flex-basis:100%}
header input{font:inherit;padding:2px 6px;width:220px}
header button{font:inherit;padding:1px 8px}
#clock{font-family:ui-monospace,monospace}
main{flex:1;display:flex;min-height:0}
#timeline{flex:1;display:flex;flex-direction:column;min-width:0;border-right:1px solid #d9dce3}
#axis{height:26px;position:relative;border-bottom:1px solid #d9dce3;margin-left:var(--label);cursor:ew-resize;background:#f1f2f6;user-select:none}
#axis .tick{position:absolute;top:0;height:100%;border-left:1px solid #c5c9d3;padding-left:3px;color:#5b6275;font-size:10px;white-space:nowrap}
#lanes{flex:1;overflow:auto;position:relative;outline:none}
#rows{position:relative}
.row{position:absolute;left:0;right:0;height:20px;display:flex;align-items:center;white-space:nowrap}
.row.sel{background:#e3ecff}
.row.hit .label{font-weight:700}
.label{width:var(--label);flex:none;overflow:hidden;text-overflow:ellipsis;padding-right:6px;position:sticky;left:0;background:inherit;z-index:1;background-color:#fbfbfd}
.row.sel .label{background-color:#e3ecff}
.tw{display:inline-block;width:14px;text-align:center;cursor:pointer;color:#5b6275}
.track{position:relative;flex:1;height:100%;cursor:ew-resize}
.bar{position:absolute;top:5px;height:10px;border-radius:2px;background:#4f7bd9;min-width:2px}
.bar.dead{background:#9aa3b5}
.bar.killed{background:#c65a5a}
.mark{position:absolute;top:2px;width:2px;height:16px}
.mark.exec{background:#1a9c5b}
.mark.reparent{background:#b06ad9}
.mark.finding{top:3px;width:10px;height:10px;margin-left:-5px;border-radius:50%;background:#e0382b;border:1px solid #fff;cursor:pointer;z-index:2}
#cursor{position:absolute;top:0;bottom:0;width:0;border-left:2px solid #e08a00;pointer-events:none;z-index:3}
#side{width:38%;min-width:320px;overflow:auto;padding:6px 10px}
#side h2{font-size:13px;margin:8px 0 4px}
#tree ul{list-style:none;margin:0;padding-left:14px}
#tree>ul{padding-left:0}
#tree li>span{cursor:pointer;font-family:ui-monospace,monospace}
#tree li>span.sel{background:#e3ecff}
#detail table{border-collapse:collapse}
#detail td{padding:1px 6px 1px 0;vertical-align:top;font-family:ui-monospace,monospace;word-break:break-all}
#detail td:first-child{font-family:inherit;color:#5b6275;white-space:nowrap}
.finding-box{border:1px solid #e0382b;border-radius:4px;padding:4px 6px;margin:6px 0;background:#fff4f3}
.muted{color:#8b92a3}
`;

/** The page's script (runs once the data block is in the document). */
export const PAGE_SCRIPT = String.raw`
(function () {
  'use strict';
  var DATA = JSON.parse(document.getElementById('proctree-data').textContent);
  if (DATA.format !== 1) { document.body.textContent = 'unsupported timeline data format ' + DATA.format; return; }
  var ROW = 20, LABEL = 300;
  document.documentElement.style.setProperty('--label', LABEL + 'px');
  var T0 = BigInt(DATA.t0);
  var procs = DATA.processes;
  var byId = new Map();
  procs.forEach(function (p) { byId.set(p.id, p); p.kids = []; p.open = true; p.findings = []; });
  DATA.findings.forEach(function (f) { var p = byId.get(f.process); if (p) p.findings.push(f); });
  // lanes nest under the spawn parent (stable over time); processes whose spawn parent is not shown are roots
  var roots = [];
  procs.forEach(function (p) {
    var parent = p.spawnParent && p.spawnParent !== p.id ? byId.get(p.spawnParent) : undefined;
    if (!parent && p.parents.length) parent = byId.get(p.parents[0][1]);
    if (parent && parent !== p) { parent.kids.push(p); p.up = parent; } else roots.push(p);
  });
  var minT = 0;
  procs.forEach(function (p) { if (p.start !== null && p.start < minT) minT = p.start; });
  var view = { from: Math.min(0, Math.max(minT, -DATA.end * 0.05 - 1)), to: Math.max(DATA.end, 1) };
  var cursor = DATA.cursor, selected = null, hits = [], hitAt = -1;

  // ---- as-of reads (the same boundary rule as query: a change at T is visible at T) ----
  function rowAt(rows, t) { var v; for (var i = 0; i < rows.length; i++) { if (rows[i][0] <= t) v = rows[i]; else break; } return v; }
  function alive(p, t) { return (p.start === null || p.start <= t) && (p.exit === null || t < p.exit); }
  function parentAt(p, t) { var r = rowAt(p.parents, t); return r ? r[1] : p.spawnParent; }
  function ppidAt(p, t) { var r = rowAt(p.parents, t); return r ? r[2] : 0; }
  function nameAt(p, t) { var r = rowAt(p.names, t); return r ? r[1] : ''; }
  function execAt(p, t) { return rowAt(p.execs, t); }
  // a process's own view nearest the cursor: at its start when the cursor is before it, at its exit when after
  function within(p, t) { if (p.start !== null && t < p.start) return p.start; if (p.exit !== null && t > p.exit) return p.exit; return t; }
  function abs(off) { return (T0 + BigInt(off)).toString(); }
  function rel(off) { return (off >= 0 ? '+' : '') + (off / 1e9).toFixed(6) + ' s'; }
  function exitText(code) { if (code === null) return ''; var sig = code & 0x7f; return sig ? 'killed by signal ' + sig : 'exit ' + ((code >> 8) & 0xff); }
  function esc(s) { return String(s).replace(/[&<>"]/g, function (c) { return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]; }); }

  // ---- visible lanes: depth-first over open subtrees ----
  var lanes = [];
  function layout() {
    lanes = [];
    (function walk(list, depth) {
      list.forEach(function (p) { p.depth = depth; lanes.push(p); if (p.open) walk(p.kids, depth + 1); });
    })(roots, 0);
    lanes.forEach(function (p, i) { p.row = i; });
    rowsEl.style.height = lanes.length * ROW + 'px';
  }

  var lanesEl = document.getElementById('lanes'), rowsEl = document.getElementById('rows'), axisEl = document.getElementById('axis');
  var cursorEl = document.getElementById('cursor'), treeEl = document.getElementById('tree'), detailEl = document.getElementById('detail');
  var clockEl = document.getElementById('clock'), searchEl = document.getElementById('search');

  function width() { return Math.max(50, lanesEl.clientWidth - LABEL - 16); }
  function x(t) { return (t - view.from) / (view.to - view.from) * width(); }
  function tAt(px) { return Math.round(view.from + px / width() * (view.to - view.from)); }

  function drawAxis() {
    var w = width(), span = view.to - view.from, step = Math.pow(10, Math.floor(Math.log10(span / 6)));
    if (span / step > 12) step *= 5; else if (span / step > 6) step *= 2;
    var html = '';
    for (var t = Math.ceil(view.from / step) * step; t <= view.to; t += step) {
      var px = x(t); if (px < 0 || px > w) continue;
      html += '<div class="tick" style="left:' + px.toFixed(1) + 'px">' + rel(t) + '</div>';
    }
    axisEl.innerHTML = html;
  }

  function laneHtml(p) {
    var start = p.start === null ? view.from : p.start, end = p.exit === null ? DATA.end : p.exit;
    var l = Math.max(-4, x(start)), r = Math.min(width() + 4, x(end));
    var cls = p.exit === null ? 'bar' : (p.exitCode !== null && (p.exitCode & 0x7f) ? 'bar killed' : 'bar dead');
    var tip = nameAt(p, end) + '(' + p.pid + ') ' + (p.startAbs ? 'start ' + p.startAbs : 'start unknown') + (p.exit === null ? ', alive at the end' : ', exited ' + p.exitAbs + (p.exitCode === null ? '' : ' (' + exitText(p.exitCode) + ')'));
    var h = '<div class="' + cls + '" style="left:' + l.toFixed(1) + 'px;width:' + Math.max(2, r - l).toFixed(1) + 'px" title="' + esc(tip) + '"></div>';
    p.execs.forEach(function (e) { if (!e[4]) h += '<div class="mark exec" style="left:' + x(e[0]).toFixed(1) + 'px" title="' + esc('exec ' + abs(e[0]) + ': ' + e[1].join(' ')) + '"></div>'; });
    p.parents.slice(1).forEach(function (r2) { h += '<div class="mark reparent" style="left:' + x(r2[0]).toFixed(1) + 'px" title="' + esc('reparented to ' + r2[2] + ' at ' + abs(r2[0])) + '"></div>'; });
    p.findings.forEach(function (f, i) { h += '<div class="mark finding" data-finding="' + i + '" style="left:' + x(f.t).toFixed(1) + 'px" title="' + esc(f.id + ' ' + f.name) + '"></div>'; });
    var tw = p.kids.length ? '<span class="tw" data-toggle="1">' + (p.open ? '▾' : '▸') + '</span>' : '<span class="tw"></span>';
    return '<div class="label" style="padding-left:' + (4 + p.depth * 12) + 'px">' + tw + esc(nameAt(p, within(p, cursor)) || '?') + '(' + p.pid + ')</div><div class="track">' + h + '</div>';
  }

  var drawn = '';
  function drawRows(force) {
    var top = lanesEl.scrollTop, first = Math.max(0, Math.floor(top / ROW) - 10), last = Math.min(lanes.length, Math.ceil((top + lanesEl.clientHeight) / ROW) + 10);
    var key = first + ':' + last + ':' + view.from + ':' + view.to + ':' + (selected ? selected.id : '') + ':' + hits.length + ':' + width();
    if (!force && key === drawn) return;
    drawn = key;
    var html = '';
    for (var i = first; i < last; i++) {
      var p = lanes[i];
      html += '<div class="row' + (p === selected ? ' sel' : '') + (p.hit ? ' hit' : '') + '" data-id="' + p.id + '" data-pid="' + p.pid + '" style="top:' + i * ROW + 'px">' + laneHtml(p) + '</div>';
    }
    rowsEl.innerHTML = html + '<div id="cursor"></div>';
    cursorEl = document.getElementById('cursor');
    drawCursor();
  }
  function drawCursor() { cursorEl.style.left = (LABEL + x(cursor)) + 'px'; cursorEl.style.height = lanes.length * ROW + 'px'; }

  // ---- the tree as of the cursor ----
  function treeAt(t) {
    var live = procs.filter(function (p) { return alive(p, t); });
    var ids = new Set(live.map(function (p) { return p.id; }));
    var kids = new Map(), top = [];
    live.forEach(function (p) {
      var pp = parentAt(p, t);
      if (pp && pp !== p.id && ids.has(pp)) { if (!kids.has(pp)) kids.set(pp, []); kids.get(pp).push(p); } else top.push(p);
    });
    function node(p) {
      var e = execAt(p, t);
      return { entityId: p.id, pid: p.pid, ppid: ppidAt(p, t), parentEntityId: parentAt(p, t), name: nameAt(p, t), exe: e ? e[2] : '', cmd: e ? e[1] : [], children: (kids.get(p.id) || []).map(node) };
    }
    return top.map(node);
  }
  function drawTree() {
    clockEl.textContent = abs(cursor) + ' (' + rel(cursor) + ')';
    var forest = treeAt(cursor), n = 0;
    function ul(list) {
      if (!list.length) return '';
      return '<ul>' + list.map(function (p) {
        n++;
        return '<li data-id="' + p.entityId + '" data-pid="' + p.pid + '" data-ppid="' + p.ppid + '" data-name="' + esc(p.name) + '"><span' + (selected && selected.id === p.entityId ? ' class="sel"' : '') + '>' + esc(p.name || '?') + '(' + p.pid + ')</span> <span class="muted">' + esc(p.exe) + '</span>' + ul(p.children) + '</li>';
      }).join('') + '</ul>';
    }
    var html = ul(forest);
    treeEl.innerHTML = '<div class="muted">' + n + ' processes alive at the cursor</div>' + html;
    drawDetail();
  }
  function drawDetail() {
    if (!selected) { detailEl.innerHTML = '<span class="muted">click a lane or a process</span>'; return; }
    var p = selected, t = within(p, cursor), e = execAt(p, t);
    var when = t === cursor ? 'at the cursor' : t < cursor ? 'as of its exit (the cursor is after it)' : 'as of its start (the cursor is before it)';
    var threads = p.threads.filter(function (th) { return (th[2] === null || th[2] <= t) && (th[3] === null || t < th[3]); }).map(function (th) { return th[0]; });
    var rows = [
      ['entity id', p.id], ['pid / ns pid', p.pid + ' / ' + p.nsPid], ['name', nameAt(p, t)], ['parent', parentAt(p, t) + ' (pid ' + ppidAt(p, t) + ')'],
      ['alive at cursor', alive(p, cursor) ? 'yes' : 'no'], ['argv', e ? e[1].join(' ') : ''], ['binary', e ? e[2] : ''], ['interpreter', e ? e[3] : ''],
      ['exec', e ? (e[4] ? 'inherited at fork' : abs(e[0])) : ''], ['start', p.startAbs || 'unknown'], ['exit', p.exitAbs ? p.exitAbs + ' (' + exitText(p.exitCode) + ')' : ''],
      ['threads at cursor', threads.length ? threads.join(', ') : 'none besides the leader'], ['uid', p.uid === null ? '' : p.uid]
    ];
    var html = '<div class="muted" id="detail-when">' + when + '</div><table>' + rows.map(function (r) { return '<tr><td>' + r[0] + '</td><td data-field="' + esc(r[0]) + '">' + esc(r[1]) + '</td></tr>'; }).join('') + '</table>';
    if (p.findings.length) html += p.findings.map(function (f, i) { return '<div class="finding-box" data-finding-index="' + i + '"><b>' + esc(f.id) + ' ' + esc(f.name) + '</b> at ' + f.tAbs + ' on ' + esc(f.eventName) + '<br>' + esc(f.description) + (f.data !== '{}' ? '<br><code>' + esc(f.data) + '</code>' : '') + '</div>'; }).join('');
    detailEl.innerHTML = html;
  }

  // ---- interaction ----
  var pending = false;
  function setCursor(t) {
    cursor = Math.max(Math.min(t, view.to), Math.min(view.from, 0));
    drawCursor();
    if (!pending) { pending = true; requestAnimationFrame(function () { pending = false; drawTree(); }); }
  }
  function select(p, scroll) {
    selected = p || null;
    if (p && scroll) {
      for (var q = p.up; q; q = q.up) if (!q.open) { q.open = true; layout(); }
      var y = p.row * ROW;
      if (y < lanesEl.scrollTop || y > lanesEl.scrollTop + lanesEl.clientHeight - ROW * 2) lanesEl.scrollTop = y - lanesEl.clientHeight / 2;
    }
    drawRows(true); drawTree();
  }
  function dragFrom(el, offset) {
    el.addEventListener('mousedown', function (ev) {
      if (ev.target.closest && (ev.target.closest('.label') || ev.target.closest('.finding'))) return;
      var rect = el.getBoundingClientRect();
      var move = function (m) { setCursor(tAt(m.clientX - rect.left - offset())); };
      move(ev);
      var up = function () { window.removeEventListener('mousemove', move); window.removeEventListener('mouseup', up); };
      window.addEventListener('mousemove', move); window.addEventListener('mouseup', up);
      ev.preventDefault();
    });
  }
  dragFrom(axisEl, function () { return 0; });
  dragFrom(lanesEl, function () { return LABEL - lanesEl.scrollLeft; });
  lanesEl.addEventListener('scroll', function () { drawRows(false); });
  window.addEventListener('resize', function () { drawAxis(); drawRows(true); });
  rowsEl.addEventListener('click', function (ev) {
    var row = ev.target.closest('.row'); if (!row) return;
    var p = byId.get(Number(row.dataset.id));
    if (ev.target.dataset.toggle) { p.open = !p.open; layout(); drawRows(true); return; }
    if (ev.target.dataset.finding !== undefined) { var f = p.findings[Number(ev.target.dataset.finding)]; setCursor(f.t); select(p, false); return; }
    if (ev.target.closest('.label')) select(p, false);
  });
  treeEl.addEventListener('click', function (ev) { var li = ev.target.closest('li'); if (li) select(byId.get(Number(li.dataset.id)), true); });
  function zoom(f) {
    var mid = cursor, span = (view.to - view.from) * f;
    view = { from: mid - span / 2, to: mid + span / 2 };
    drawAxis(); drawRows(true);
  }
  document.getElementById('zoom-in').onclick = function () { zoom(0.5); };
  document.getElementById('zoom-out').onclick = function () { zoom(2); };
  document.getElementById('zoom-all').onclick = function () { view = { from: Math.min(0, Math.max(minT, -DATA.end * 0.05 - 1)), to: Math.max(DATA.end, 1) }; drawAxis(); drawRows(true); };
  function search(q) {
    procs.forEach(function (p) { p.hit = false; });
    hits = []; hitAt = -1;
    q = q.trim();
    if (q) {
      var pid = /^\d+$/.test(q) ? Number(q) : -1;
      procs.forEach(function (p) {
        if (p.pid === pid || p.names.some(function (n) { return n[1].indexOf(q) >= 0; }) || p.execs.some(function (e) { return e[2].indexOf(q) >= 0 || e[3].indexOf(q) >= 0; })) { p.hit = true; hits.push(p); }
      });
    }
    document.getElementById('hits').textContent = q ? hits.length + ' match' + (hits.length === 1 ? '' : 'es') : '';
    drawRows(true);
  }
  searchEl.addEventListener('input', function () { search(searchEl.value); });
  searchEl.addEventListener('keydown', function (ev) {
    if (ev.key === 'Enter' && hits.length) { hitAt = (hitAt + 1) % hits.length; select(hits[hitAt], true); ev.preventDefault(); }
    if (ev.key === 'Escape') { searchEl.blur(); lanesEl.focus(); }
  });
  function changesOf(p) { var ts = []; if (p.start !== null) ts.push(p.start); p.execs.forEach(function (e) { ts.push(e[0]); }); p.parents.forEach(function (r) { ts.push(r[0]); }); if (p.exit !== null) ts.push(p.exit); p.findings.forEach(function (f) { ts.push(f.t); }); return ts.sort(function (a, b) { return a - b; }); }
  document.addEventListener('keydown', function (ev) {
    if (ev.target === searchEl) return;
    var i = selected ? selected.row : -1;
    switch (ev.key) {
      case 'ArrowDown': select(lanes[Math.min(lanes.length - 1, i + 1)], true); break;
      case 'ArrowUp': select(lanes[Math.max(0, i - 1)], true); break;
      case 'ArrowLeft': if (selected && selected.open && selected.kids.length) { selected.open = false; layout(); drawRows(true); } else if (selected && selected.up) select(selected.up, true); break;
      case 'ArrowRight': if (selected && !selected.open) { selected.open = true; layout(); drawRows(true); } break;
      case 'Home': setCursor(Math.min(view.from, 0)); break;
      case 'End': setCursor(DATA.end); break;
      case '[': case ']': if (selected) { var ts = changesOf(selected), next = ev.key === ']' ? ts.find(function (t) { return t > cursor; }) : ts.reverse().find(function (t) { return t < cursor; }); if (next !== undefined) setCursor(next); } break;
      case '+': case '=': zoom(0.5); break;
      case '-': zoom(2); break;
      case '/': searchEl.focus(); break;
      default: return;
    }
    ev.preventDefault();
  });

  // ---- start ----
  document.getElementById('notes').textContent = DATA.notes.join(' · ');
  layout(); drawAxis(); drawRows(true); drawTree();
  window.proctreeTimeline = {
    /** Moves the cursor to an offset from t0 (ns, number) and redraws at once. */
    setCursor: function (t) { setCursor(t); drawTree(); },
    cursor: function () { return { offset: cursor, time: abs(cursor) }; },
    /** The tree as of the cursor (what the side panel shows). */
    treeAt: function () { return treeAt(cursor); },
    lanes: function () { return lanes.map(function (p) { return { entityId: p.id, pid: p.pid, depth: p.depth }; }); },
    select: function (id) { select(byId.get(id), true); },
    t0: DATA.t0
  };
})();
`;
