(phoneWidth) => {
  // the measurements of tests/browser/layout.py, run in the page
  const problems = [];
  const doc = document.documentElement;
  const vw = window.innerWidth;
  if (doc.scrollWidth > vw + 1) problems.push(`document is ${doc.scrollWidth} px wide in a ${vw} px window`);

  const describe = (el) => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += '#' + el.id;
    if (el.classList.length) s += '.' + [...el.classList].slice(0, 2).join('.');
    const h = el.querySelector && el.querySelector('h2, h3, legend, caption');
    if (h) s += ` "${h.textContent.trim().slice(0, 30)}"`;
    return s;
  };
  const visible = (el) => {
    const st = getComputedStyle(el);
    if (st.display === 'none' || st.visibility === 'hidden') return false;
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && el.getClientRects().length > 0;
  };
  // the part of an element a person can see: clipped by every ancestor that scrolls or hides
  const clipped = (el) => {
    const r = el.getBoundingClientRect();
    let box = {l: r.left, t: r.top + scrollY, r: r.right, b: r.bottom + scrollY};
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const st = getComputedStyle(a);
      if (st.overflowX !== 'visible' || st.overflowY !== 'visible') {
        const ar = a.getBoundingClientRect();
        if (st.overflowX !== 'visible') { box.l = Math.max(box.l, ar.left); box.r = Math.min(box.r, ar.right); }
        if (st.overflowY !== 'visible') { box.t = Math.max(box.t, ar.top + scrollY); box.b = Math.min(box.b, ar.bottom + scrollY); }
      }
    }
    return box;
  };

  const main = document.querySelector('main');
  const blocks = [...main.querySelectorAll('.card, aside, table, section')].filter(visible);
  blocks.push(main);
  const boxes = blocks.map(el => ({el, box: clipped(el), own: el.getBoundingClientRect()}));
  for (const {el, box, own} of boxes) {
    // a block wider than its scrolling parent lets people see half of it
    if (own.right > vw + 1 && box.r > vw + 1) problems.push(`${describe(el)} runs ${Math.round(own.right - vw)} px past the window`);
  }
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i], b = boxes[j];
      if (a.el.contains(b.el) || b.el.contains(a.el)) continue;
      const w = Math.min(a.box.r, b.box.r) - Math.max(a.box.l, b.box.l);
      const h = Math.min(a.box.b, b.box.b) - Math.max(a.box.t, b.box.t);
      if (w > 2 && h > 2) problems.push(`${describe(a.el)} and ${describe(b.el)} overlap by ${Math.round(w)}x${Math.round(h)} px`);
    }
  }

  // nothing spills out of its card (text included), unless the card scrolls it
  for (const card of main.querySelectorAll('.card')) {
    if (!visible(card) || getComputedStyle(card).overflowX !== 'visible') continue;
    const cr = card.getBoundingClientRect();
    for (const el of card.querySelectorAll('*')) {
      if (el.closest('.card') !== card) continue; // a nested card is judged on its own
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0 || el.classList.contains('visually-hidden')) continue;
      if (r.right > cr.right + 1 || r.left < cr.left - 1) {
        let scrolled = false;
        for (let a = el.parentElement; a && a !== card; a = a.parentElement) {
          if (getComputedStyle(a).overflowX !== 'visible') { scrolled = true; break; }
        }
        if (!scrolled) { problems.push(`${describe(el)} spills out of ${describe(card)}`); break; }
      }
    }
  }

  // on a laptop or wider, tables fit their cards: nothing needs a sideways scroll
  if (vw >= 1280) {
    for (const el of main.querySelectorAll('*')) {
      const st = getComputedStyle(el);
      if ((st.overflowX === 'auto' || st.overflowX === 'scroll') && el.scrollWidth > el.clientWidth + 1 && visible(el))
        problems.push(`${describe(el)} scrolls sideways (${el.scrollWidth} px in ${el.clientWidth})`);
    }
  }

  // every form control: on screen, inside its scrolling box, and the top thing where it is
  const controls = [...main.querySelectorAll('input, select, textarea, button')].filter(
    el => el.type !== 'hidden' && !el.closest('details:not([open])') && visible(el));
  // scrolled a window's height at a time; each control is judged in the middle
  // band of the window, clear of the sticky bars at the top and the bottom
  const vh = window.innerHeight, margin = 150, step = vh - 2 * margin;
  const pending = controls.map(el => ({el, y: el.getBoundingClientRect().top + scrollY}));
  pending.sort((a, b) => a.y - b.y);
  let i = 0;
  while (i < pending.length) {
    window.scrollTo(0, Math.max(0, pending[i].y - margin));
    const start = i;
    for (; i < pending.length; i++) {
      const el = pending[i].el;
      const r = el.getBoundingClientRect();
      if (i > start && r.top > vh - margin) break;
      if (r.left < 0 || r.right > vw) el.scrollIntoView({block: 'nearest', inline: 'nearest'});
      const s = el.getBoundingClientRect();
      const box = clipped(el);
      const name = el.name || el.id || el.textContent.trim().slice(0, 30) || el.value;
      if (box.r - box.l < Math.min(8, s.width) || s.left < -1 || s.right > vw + 1) {
        problems.push(`control ${el.tagName.toLowerCase()} "${name}" is cut off (${Math.round(s.left)}..${Math.round(s.right)} of ${vw})`);
        continue;
      }
      const x = Math.min(Math.max((box.l + box.r) / 2, 1), vw - 1);
      const y = Math.min(Math.max(s.top + Math.min(s.height / 2, 8), 1), vh - 1);
      const top = document.elementFromPoint(x, y);
      if (top && top !== el && !el.contains(top) && !(el.labels && [...el.labels].some(l => l.contains(top)))) {
        problems.push(`control ${el.tagName.toLowerCase()} "${name}" is covered by ${describe(top)}`);
      }
    }
  }
  window.scrollTo(0, 0);

  const nav = document.querySelector('.mainnav');
  if (nav) {
    const toggle = document.querySelector('.nav-toggle');
    const toggleShown = toggle && visible(toggle);
    if (vw < phoneWidth) {
      if (!toggleShown) problems.push('no menu button below ' + phoneWidth + ' px');
    } else {
      const links = [...nav.querySelectorAll('a')].filter(visible);
      const tops = new Set(links.map(a => Math.round(a.getBoundingClientRect().top)));
      if (vw >= 1280 && tops.size > 1) problems.push(`navigation wraps onto ${tops.size} lines`);
    }
  }
  return problems;
}
