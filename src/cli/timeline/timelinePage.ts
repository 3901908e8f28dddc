/**
 * The self-contained timeline page: one HTML file with its data, style and script inline (no
 * network, no CDN; opens from `file://`).
 *
 * @module
 */
import { PAGE_SCRIPT, PAGE_STYLE } from './pageScript.js';
import type { TimelineModel } from './timelineModel.js';

/** HTML-escapes text for element content and attribute values. */
const escapeHtml = (s: string): string => s.replace(/[&<>"]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;'));

/**
 * JSON that is safe inside `<script type="application/json">`: every `<` written as `\u003c`
 * (so no `</script>` or `<!--` can end the block early), and U+2028/U+2029 escaped.
 */
export const scriptSafeJson = (value: unknown): string =>
  JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');

/**
 * The page for `model`.
 * @example
 * ```ts
 * writeFileSync('tree.html', timelinePage(model));
 * ```
 */
export function timelinePage(model: TimelineModel): string {
  const title = escapeHtml(`proctree-rx · ${model.title}`);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>${title}</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<header>
<h1>${title}</h1>
<span>${model.processes.length} processes · ${model.findings.length} findings</span>
<input id="search" type="search" placeholder="pid, name or path (/, Enter)" aria-label="search">
<span id="hits"></span>
<button id="zoom-in" title="zoom in (+)">+</button><button id="zoom-out" title="zoom out (−)">−</button><button id="zoom-all" title="whole capture">all</button>
<span>cursor: <span id="clock"></span></span>
<div class="notes" id="notes"></div>
</header>
<main>
<section id="timeline">
<div id="axis" title="drag to move the time cursor"></div>
<div id="lanes" tabindex="0"><div id="rows"></div></div>
</section>
<aside id="side">
<h2>Tree at the cursor</h2>
<div id="tree"></div>
<h2>Selected process at the cursor</h2>
<div id="detail"></div>
</aside>
</main>
<script id="proctree-data" type="application/json">${scriptSafeJson(model)}</script>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}
