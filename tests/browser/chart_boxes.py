"""Charts as drawn in chromium: the boxes of their parts (BOXES_JS) and what overlaps or is cut
(layout_problems): no label sits on another, the legend stays clear of the title and of the
bars, an axis title clear of its tick labels and of the source line, and the source line is
inside the picture. Used on every page of tests/browser's views."""

from __future__ import annotations

BOXES_JS = """el => {
  const box = n => { if (!n) return null; const r = n.getBoundingClientRect();
    return r.width && r.height ? [r.left, r.top, r.right, r.bottom] : null; };
  const svg = el.querySelector('svg.main-svg');
  return {
    title: el.querySelector('.infolayer .gtitle') ? el.querySelector('.infolayer .gtitle').textContent : '',
    title_box: box(el.querySelector('.infolayer .gtitle')),
    legend: box(el.querySelector('.infolayer .legend .scrollbox')) || box(el.querySelector('.infolayer .legend')),
    plot: box(el.querySelector('.cartesianlayer .subplot .plot')) ,
    drag: box(el.querySelector('.draglayer .nsewdrag')),
    svg: box(svg),
    yticks: Array.from(el.querySelectorAll('.cartesianlayer .yaxislayer-above .ytick text'))
                 .map(box).filter(b => b),
    xticks: Array.from(el.querySelectorAll('.cartesianlayer .xaxislayer-above .xtick text'))
                 .map(box).filter(b => b),
    axis_titles: Array.from(el.querySelectorAll('.infolayer .g-xtitle text, .infolayer .g-x2title text, '
                 + '.infolayer .g-ytitle text, .infolayer .g-y2title text'))
                 .map(t => [t.textContent, box(t)]).filter(t => t[1]),
    annotations: Array.from(el.querySelectorAll('.infolayer .annotation'))
                 .map(a => [a.textContent, box(a)]),
    bartexts: Array.from(el.querySelectorAll('.trace.bars .bartext')).map(x => {
                 let n = x, clipped = false;  // clipped to the plot area by an ancestor
                 while (n && n !== svg) { clipped = clipped || !!n.getAttribute('clip-path');
                                          n = n.parentNode; }
                 return [x.textContent, box(x), clipped]; }),
    // a methodology break's label (its red text) and the drawn lines, sampled every 4 px
    breaks: Array.from(el.querySelectorAll('.infolayer .annotation')).filter(a => {
                 const t = a.querySelector('text');
                 const st = t && getComputedStyle(t);  // not the demo mark (red, see-through)
                 return st && st.fill === 'rgb(179, 0, 0)' && st.fillOpacity === '1'; })
                 .map(a => [a.textContent, box(a)]).filter(b => b[1]),
    lines: Array.from(el.querySelectorAll('.scatterlayer .js-line'))
                 .filter(p => parseFloat(getComputedStyle(p).strokeWidth) > 0).map(p => {
                   const n = p.getTotalLength(), m = p.getScreenCTM(), out = [];
                   for (let l = 0; l <= n; l += 4) {
                     const q = new DOMPoint(p.getPointAtLength(l).x, p.getPointAtLength(l).y)
                                 .matrixTransform(m);
                     out.push([q.x, q.y]); }
                   return out; }),
    points: Array.from(el.querySelectorAll('.scatterlayer .point')).map(box).filter(b => b),
  };
}"""


def _overlap(a: list[float] | None, b: list[float] | None, slack: float = 1.0) -> bool:
    return bool(a and b) and a[0] < b[2] - slack and b[0] < a[2] - slack and \
        a[1] < b[3] - slack and b[1] < a[3] - slack


def layout_problems(fig: dict) -> list[str]:
    """What overlaps or is cut in one drawn figure (BOXES_JS's measures)."""
    bad = []
    name = fig["title"][:50]
    if _overlap(fig["title_box"], fig["legend"]):
        bad.append(f"{name}: legend over the title {fig['title_box']} {fig['legend']}")
    if _overlap(fig["legend"], fig["drag"]):
        bad.append(f"{name}: legend over the plot area {fig['legend']} {fig['drag']}")
    drag = fig["drag"]
    for b in fig["yticks"]:  # labels left of the plot keep a gap from it (bars start there)
        if drag and (b[0] + b[2]) / 2 < drag[0] and b[2] > drag[0] - 3:
            bad.append(f"{name}: y label touches the plot {b} {drag}")
    ticks = sorted(fig["yticks"], key=lambda b: b[1])
    for up, down in zip(ticks, ticks[1:], strict=False):
        if down[1] < up[3] - 1:
            bad.append(f"{name}: y labels overlap {up} {down}")
    svg = fig["svg"]
    for text, box, clipped in fig["bartexts"]:
        edge = fig["drag"] if clipped else svg
        if box and edge and (box[2] > edge[2] + 1 or box[0] < edge[0] - 1):
            bad.append(f"{name}: bar label {text!r} cut at the edge {box} {edge}")
    if fig["title_box"] and fig["title_box"][2] > svg[2] + 1:
        bad.append(f"{name}: title cut at the right edge {fig['title_box']} {svg}")
    source = [box for text, box in fig["annotations"]
              if box and text.startswith(("Nguồn", "Source"))]
    for text, box in fig.get("axis_titles", []):
        if any(_overlap(box, tick) for tick in fig.get("xticks", []) + fig["yticks"]):
            bad.append(f"{name}: axis title {text!r} on its tick labels {box}")
        if any(_overlap(box, s) for s in source):
            bad.append(f"{name}: axis title {text!r} on the source line {box} {source}")
    for tick in fig.get("xticks", []):
        if any(_overlap(tick, s) for s in source):
            bad.append(f"{name}: x labels on the source line {tick} {source}")
            break
    for text, box in fig.get("breaks", []):  # D5's 2021 note hid the 2019–2020 line (04/12/2026)
        inside = [b[0] + 1, b[1] + 1, b[2] - 1, b[3] - 1] if (b := box) else None
        if inside and (any(inside[0] < x < inside[2] and inside[1] < y < inside[3]
                           for line in fig.get("lines", []) for x, y in line)
                       or any(_overlap(inside, p, 0) for p in fig.get("points", []))):
            bad.append(f"{name}: break label {text[:40]!r} over a line {box}")
    for text, box in fig["annotations"]:  # source line, break labels, 'not published' …
        if box and (box[0] < svg[0] - 1 or box[2] > svg[2] + 1 or box[3] > svg[3] + 1):
            bad.append(f"{name}: text {text[:40]!r} outside the picture {box} {svg}")
    return bad
