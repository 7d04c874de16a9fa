/**
 * The page's stylesheet: light, system fonts (no web font to load), status colours shared by the
 * charts (`c-*`, SVG fills) and the badges (`k-*`), and print rules: no backgrounds but the status
 * colours, no navigation or filter form, every folded detail open, tables not split mid-row.
 */
import { STATUS_COLOURS } from '../statusColours.js';

export const STYLE = `
:root { --fail: ${STATUS_COLOURS.FAIL}; --accepted: ${STATUS_COLOURS.ACCEPTED}; --unknown: ${STATUS_COLOURS.UNKNOWN}; --pass: ${STATUS_COLOURS.PASS}; --na: ${STATUS_COLOURS.NOT_APPLICABLE}; --none: #eeeeee; --ink: #1f2328; --muted: #59636e; --line: #d0d7de; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1200px; padding: 1rem 1.5rem 3rem; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #fff; }
h1 { font-size: 1.8rem; margin: .2rem 0 .4rem; }
h2 { font-size: 1.3rem; margin: 2rem 0 .6rem; border-bottom: 1px solid var(--line); padding-bottom: .2rem; }
h3 { font-size: 1.05rem; margin: 1.2rem 0 .4rem; }
code, pre { font: 13px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
code { overflow-wrap: anywhere; }
pre { background: #f6f8fa; border: 1px solid var(--line); padding: .5rem; overflow-x: auto; white-space: pre-wrap; }
a { color: #0550ae; }
nav ul { display: flex; flex-wrap: wrap; gap: .3rem 1rem; list-style: none; padding: 0; margin: .5rem 0 0; }
.kicker { margin: 0; color: var(--muted); text-transform: uppercase; letter-spacing: .05em; font-size: .8rem; }
.answer { border: 1px solid var(--line); border-left: 8px solid var(--na); padding: .8rem 1.2rem; }
.result-fail { border-left-color: var(--fail); }
.result-incomplete { border-left-color: var(--unknown); }
.result-pass_with_accepted_risks { border-left-color: var(--accepted); }
.result-pass { border-left-color: var(--pass); }
.sentence { font-size: 1.05rem; }
.tiles { display: flex; flex-wrap: wrap; gap: .5rem; margin: .6rem 0; }
.tile { border: 1px solid var(--line); border-top: 4px solid var(--na); padding: .3rem .7rem; min-width: 8rem; }
.tile .n { display: block; font-size: 1.5rem; font-weight: 600; }
.tile.k-fail { border-top-color: var(--fail); } .tile.k-accepted { border-top-color: var(--accepted); } .tile.k-unknown { border-top-color: var(--unknown); } .tile.k-pass { border-top-color: var(--pass); }
table { border-collapse: collapse; margin: .5rem 0 1rem; width: 100%; }
caption { text-align: left; font-weight: 600; padding: .2rem 0; }
th, td { border: 1px solid var(--line); padding: .25rem .45rem; text-align: left; vertical-align: top; }
/* A 128-character trail name in a message or an id must wrap, not widen a table past the page;
   other cells (account ids, control ids) wrap only between words. */
td { overflow-wrap: break-word; }
td.msg, td.id, td code { overflow-wrap: anywhere; }
li, p, dd, summary { overflow-wrap: break-word; }
thead th { background: #f6f8fa; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
table.scope th { width: 9rem; background: #f6f8fa; }
td.id { overflow-wrap: anywhere; min-width: 9rem; max-width: 22rem; }
.findings td:first-child .badge { white-space: normal; }
.findings td:first-child { min-width: 7rem; max-width: 11rem; }
th button { all: unset; cursor: pointer; font-weight: 600; }
th button::after { content: " \\2195"; color: var(--muted); }
th[aria-sort="ascending"] button::after { content: " \\2191"; }
th[aria-sort="descending"] button::after { content: " \\2193"; }
.badge { display: inline-block; padding: 0 .4rem; border: 1px solid currentColor; border-radius: 3px; font-size: .85rem; white-space: nowrap; font-weight: 600; }
.badge.k-fail { color: var(--fail); } .badge.k-accepted { color: var(--accepted); } .badge.k-unknown { color: #8a6100; } .badge.k-pass { color: var(--pass); } .badge.k-na, .badge.k-none { color: var(--muted); }
.sev { font-size: .85rem; font-weight: 600; }
.sev-critical { color: var(--fail); } .sev-high { color: #d84315; }
.state-expired { color: var(--fail); font-weight: 600; }
.legend { display: flex; flex-wrap: wrap; gap: 1rem; list-style: none; padding: 0; margin: .3rem 0; font-size: .9rem; }
.legend li::before { content: ""; display: inline-block; width: .8rem; height: .8rem; margin-right: .3rem; vertical-align: -1px; background: var(--na); }
.legend .k-fail::before { background: var(--fail); } .legend .k-accepted::before { background: var(--accepted); } .legend .k-unknown::before { background: var(--unknown); } .legend .k-pass::before { background: var(--pass); }
.scroll { overflow-x: auto; }
svg.chart { font-size: 11px; fill: var(--ink); max-width: none; }
svg .c-fail { fill: var(--fail); stroke: var(--fail); } svg .c-accepted { fill: var(--accepted); stroke: var(--accepted); } svg .c-unknown { fill: var(--unknown); stroke: var(--unknown); }
svg .c-pass { fill: var(--pass); stroke: var(--pass); } svg .c-na { fill: var(--na); stroke: var(--na); } svg .c-none { fill: var(--none); stroke: var(--none); }
svg rect { stroke: none; }
svg .line { fill: none; stroke-width: 2; }
svg .grid { stroke: var(--line); stroke-width: 1; }
.filters { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: end; margin: .5rem 0; padding: .5rem; border: 1px solid var(--line); background: #f6f8fa; }
.filters[hidden] { display: none; }
.filters label { display: flex; flex-direction: column; font-size: .85rem; }
.evidence { display: grid; grid-template-columns: max-content 1fr; gap: .1rem .6rem; margin: .3rem 0; }
.evidence dt { font-weight: 600; } .evidence dd { margin: 0; min-width: 0; overflow-wrap: anywhere; }
ul.plain { margin: 0; padding-left: 1rem; }
td > ul.plain { min-width: 14rem; }
#gaps td:nth-child(5) { min-width: 12rem; }
.note, .advice { color: var(--muted); }
details > summary { cursor: pointer; color: #0550ae; }
details.numbers > summary, #fixes details > summary { color: var(--ink); }
tr[hidden] { display: none; }
@page { margin: 14mm 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  th button::after { content: none; }
  nav, .filters { display: none !important; }
  a { color: inherit; text-decoration: none; }
  .scroll { overflow: visible; }
  svg.chart { max-width: 100%; height: auto; }
  svg.chart, .badge, .legend li::before, .tile { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  thead { display: table-header-group; }
  tr, svg.chart, .tile, pre { break-inside: avoid; }
  /* A finding with long evidence may run onto the next page rather than leave one mostly blank. */
  .findings tr { break-inside: auto; }
  h2, h3 { break-after: avoid; }
  details::details-content { content-visibility: visible; display: contents; }
  details > summary { color: inherit; }
}
`;
