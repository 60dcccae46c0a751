() => {
  // runs of text printed over each other (tests/browser/layout.py): each visible
  // text node's line boxes, and any two of different nodes that share more than
  // 2 px of width and half the height of the shorter line
  // a sticky or fixed bar floats over the page on its own background, by design
  const floats = new Map();
  const floating = (el) => {
    if (!el || el === document.body) return false;
    if (!floats.has(el)) {
      const position = getComputedStyle(el).position;
      floats.set(el, position === 'sticky' || position === 'fixed' || floating(el.parentElement));
    }
    return floats.get(el);
  };
  const runs = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const words = node.textContent.trim();
    const el = node.parentElement;
    if (!words || !el) continue;
    // what is not drawn: closed menus and dialogs, options, hidden text, charts' own labels
    if (el.closest('svg, option, select, [hidden], .visually-hidden, dialog:not([open])')) continue;
    if (el.closest('details:not([open])') && !el.closest('summary')) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.opacity === '0' || floating(el)) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const r of range.getClientRects()) {
      if (r.width >= 1 && r.height >= 1) runs.push({node, words, l: r.left, r: r.right, t: r.top, b: r.bottom});
    }
  }
  runs.sort((a, b) => a.t - b.t);
  const problems = [];
  for (let i = 0; i < runs.length && problems.length < 5; i++) {
    const a = runs[i];
    for (let j = i + 1; j < runs.length && runs[j].t < a.b; j++) {
      const b = runs[j];
      if (a.node === b.node) continue;
      const w = Math.min(a.r, b.r) - Math.max(a.l, b.l);
      const h = Math.min(a.b, b.b) - Math.max(a.t, b.t);
      if (w > 2 && h > Math.min(a.b - a.t, b.b - b.t) / 2)
        problems.push(`"${a.words.slice(0, 30)}" and "${b.words.slice(0, 30)}" are printed over each other`);
    }
  }
  return problems;
}
