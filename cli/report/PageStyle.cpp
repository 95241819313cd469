// The page's stylesheet: system fonts only (nothing to fetch), colours that survive a
// grey-scale print, and a print layout (no controls, every row, charts kept whole).
#include "cli/report/Page.h"

namespace fulcrum::cli::report {

const char* const kPageStyle =
    R"CSS(:root { --ink: #1d2330; --muted: #5b6473; --line: #d5d9e0; --accent: #2f5d9b; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
  margin: 0 auto; max-width: 1280px; padding: 16px 24px; background: #fff; }
h1 { font-size: 22px; margin: 8px 0 4px; }
h2 { font-size: 16px; margin: 24px 0 8px; }
h3 { font-size: 14px; margin: 12px 0 4px; }
code { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 13px; }
header p, footer p, .legend { color: var(--muted); }
.charts { display: flex; flex-wrap: wrap; gap: 8px 32px; }
.chart { max-width: 100%; }
svg { max-width: 100%; height: auto; font-size: 12px; fill: var(--ink); }
svg text { fill: var(--ink); }
.axis, .plot { stroke: var(--muted); fill: none; }
.plot { fill: #fafbfc; stroke: var(--line); }
.threshold, .on-track-line, .median-line { stroke: #c0392b; stroke-dasharray: 4 3; stroke-width: 1.5; }
.hist-bar { fill: var(--accent); }
.band-bar { fill: var(--accent); }
circle { fill: var(--accent); fill-opacity: 0.55; stroke: #fff; stroke-width: 0.8; }
circle:hover { fill-opacity: 0.9; stroke: var(--ink); }
.track { fill: #eef0f3; }
.kr.on-track { fill: #4f8a4b; } .kr.behind { fill: #d19a2a; }
.stage { fill: var(--accent); }
.versus { fill: #9aa5b5; } .versus.weakest { fill: #c0392b; }
figure { margin: 8px 0 16px; }
figcaption { margin-bottom: 4px; }
details { margin: 4px 0 16px; }
table { border-collapse: collapse; }
.chart-data td, .chart-data th, #top-subjects td, #top-subjects th { border-bottom: 1px solid var(--line);
  padding: 2px 10px 2px 0; text-align: left; }
.scroll { overflow-x: auto; max-width: 100%; }
#subjects { font-variant-numeric: tabular-nums; width: 100%; }
#subjects th, #subjects td { border-bottom: 1px solid var(--line); padding: 3px 5px; text-align: left;
  white-space: nowrap; vertical-align: top; }
#subjects thead th { position: sticky; top: 0; background: #fff; white-space: normal;
  vertical-align: bottom; }
#subjects tbody th, #subjects thead th:first-child { position: sticky; left: 0; z-index: 1;
  background: #fff; }
#subjects thead th:first-child { z-index: 2; }
#subjects th button { font: inherit; font-weight: 600; background: none; border: 0; padding: 0;
  cursor: pointer; color: var(--ink); }
#subjects th button:focus-visible { outline: 2px solid var(--accent); }
#subjects th[aria-sort="ascending"] button::after { content: " \25B2"; }
#subjects th[aria-sort="descending"] button::after { content: " \25BC"; }
#subjects td[data-shown]::before { content: attr(data-shown); }
#subjects td .csv { display: none; }
#subjects td.number { text-align: right; }
#subjects td.violated { background: #fdecea; outline: 1px solid #c0392b; }
#subjects tr.has-violation th { color: #c0392b; }
.bar { display: flex; width: 90px; height: 8px; background: #eef0f3; margin-top: 2px; }
.bar span { display: block; height: 8px; }
.bar.no-score { background: none; outline: 1px dashed var(--muted); outline-offset: -1px; }
.seg0 { background: #2f5d9b; } .seg1 { background: #4f8a4b; } .seg2 { background: #d19a2a; }
.seg3 { background: #7d5ba6; } .seg4 { background: #3a8f99; } .seg5 { background: #9a6b4f; }
rect.seg0 { fill: #2f5d9b; } rect.seg1 { fill: #4f8a4b; } rect.seg2 { fill: #d19a2a; }
rect.seg3 { fill: #7d5ba6; } rect.seg4 { fill: #3a8f99; } rect.seg5 { fill: #9a6b4f; }
.pace { stroke: var(--muted); stroke-dasharray: 5 4; }
polyline.line { fill: none; stroke-width: 2; }
polyline.seg0 { stroke: #2f5d9b; } polyline.seg1 { stroke: #4f8a4b; } polyline.seg2 { stroke: #d19a2a; }
polyline.seg3 { stroke: #7d5ba6; } polyline.seg4 { stroke: #3a8f99; } polyline.seg5 { stroke: #9a6b4f; }
circle.seg0 { fill: #2f5d9b; fill-opacity: 1; } circle.seg1 { fill: #4f8a4b; fill-opacity: 1; }
circle.seg2 { fill: #d19a2a; fill-opacity: 1; } circle.seg3 { fill: #7d5ba6; fill-opacity: 1; }
circle.seg4 { fill: #3a8f99; fill-opacity: 1; } circle.seg5 { fill: #9a6b4f; fill-opacity: 1; }
.grade-good { background: #4f8a4b; } .grade-risk { background: #d19a2a; }
.grade-bad { background: #c0392b; }
rect.grade-good { fill: #4f8a4b; } rect.grade-risk { fill: #d19a2a; } rect.grade-bad { fill: #c0392b; }
.swatch { display: inline-block; width: 10px; height: 10px; margin: 0 3px 0 8px; }
.controls input { font: inherit; padding: 2px 6px; }
ul.cascade, ul.cascade ul { list-style: none; margin: 0; padding-left: 22px;
  border-left: 1px solid var(--line); }
ul.cascade { padding-left: 0; border-left: 0; }
ul.cascade details { margin: 2px 0 6px; }
.cascade-node { display: inline-block; padding: 2px 0; cursor: default; }
summary.cascade-node { display: list-item; cursor: pointer; }
.cascade-key { font-weight: 600; margin-right: 4px; }
.cascade-objective { color: #fff; border-radius: 3px; padding: 0 6px; margin-left: 4px;
  font-variant-numeric: tabular-nums; }
.cascade-objective.no-grade { color: var(--ink); background: #eef0f3; }
.cascade-count { color: var(--muted); margin-left: 6px; }
.cascade-more { color: var(--muted); font-style: italic; padding: 2px 0; }
ul.alerts { margin: 0 0 8px; padding-left: 20px; }
ul.alerts time { color: var(--muted); font-variant-numeric: tabular-nums; }
@media print {
  body { max-width: none; padding: 0; font-size: 11px; }
  .no-print, details > summary { display: none; }
  details { display: block; }
  section, figure, svg { break-inside: avoid; }
  #subjects thead th { position: static; }
  #subjects td.violated { outline: 1px solid #000; }
  a { color: inherit; text-decoration: none; }
}
)CSS";

} // namespace fulcrum::cli::report
