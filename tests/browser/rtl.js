(check) => {
  // the measurements of tests/browser/test_rtl_browser.py, run in the page: reading
  // order from the boxes the browser laid out, in the direction each text reads
  const box = (r) => r && {l: r.left, r: r.right, t: r.top, b: r.bottom, h: r.height, w: r.width};
  const visible = (el) => {
    const st = getComputedStyle(el);
    return st.display !== 'none' && st.visibility !== 'hidden' && el.getClientRects().length > 0;
  };
  // the box of the first occurrence of `needle` in the element's text, outside <bdi>
  // and other isolated runs when `own` is set (the sentence's own words)
  const textBox = (root, needle, own) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (own && n.parentElement !== root) continue;
      const i = n.data.indexOf(needle);
      if (i < 0) continue;
      const range = document.createRange();
      range.setStart(n, i);
      range.setEnd(n, i + needle.length);
      return box(range.getClientRects()[0]);
    }
    return null;
  };
  const sameLine = (a, b) => Math.abs((a.t + a.b) / 2 - (b.t + b.b) / 2) < Math.min(a.h, b.h) / 2;
  // does a come before b for a reader of `dir`?
  const before = (a, b, dir) => {
    if (!sameLine(a, b)) return a.t < b.t;
    return dir === 'rtl' ? (a.l + a.r) / 2 > (b.l + b.r) / 2 : (a.l + a.r) / 2 < (b.l + b.r) / 2;
  };
  const direction = (el) => getComputedStyle(el).direction;
  // inside a closed <details> only the summary is laid out
  const folded = (el) => {
    const details = el.closest('details:not([open])');
    return !!details && !el.closest('summary');
  };
  const describe = (el) => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += '#' + el.id;
    if (el.classList.length) s += '.' + [...el.classList].slice(0, 2).join('.');
    return s + ` "${el.textContent.trim().replace(/\s+/g, ' ').slice(0, 40)}"`;
  };

  if (check.kind === 'sentence') {
    const el = document.querySelector(check.selector);
    const first = textBox(el, check.first, true), last = textBox(el, check.last, true);
    return {
      direction: direction(el),
      lang: el.getAttribute('lang'),
      found: !!(first && last),
      inOrder: !!(first && last) && before(first, last, direction(el)),
    };
  }

  if (check.kind === 'pairs') {
    // each label read right next to its own number, the pairs in the order written
    const problems = [];
    const pairs = [...document.querySelectorAll(check.selector)].filter(visible);
    for (const group of new Set(pairs.map((p) => p.parentElement))) {
      const members = pairs.filter((p) => p.parentElement === group);
      const dir = direction(group);
      const parts = members.map((p) => ({
        text: p.textContent.trim(),
        // where the label ends (a long label may wrap): its last line's box
        label: box([...p.querySelector('.x-pair-label').getClientRects()].pop()),
        value: box(p.querySelector('.x-pair-value').getBoundingClientRect()),
      }));
      // how far after the label a box begins, in reading direction (negative: before it)
      const after = (label, other) => (dir === 'rtl' ? label.l - other.r : other.l - label.r);
      parts.forEach((part, i) => {
        const own = after(part.label, part.value);
        if (own < -1 || !sameLine(part.label, part.value)) problems.push(`${part.text}: the number does not follow its label`);
        parts.forEach((other, j) => {
          if (i === j) return;
          const next = after(part.label, other.value);
          if (sameLine(part.label, other.value) && next >= -1 && next < own) problems.push(`${part.text}: ${other.text}'s number sits between the label and its own`);
          if (i < j && !before(part.label, other.label, dir)) problems.push(`${part.text} reads after ${other.text}`);
        });
      });
    }
    return {count: pairs.length, problems};
  }

  if (check.kind === 'intervals') {
    const problems = [];
    const intervals = [...document.querySelectorAll('.x-interval')].filter(visible);
    for (const el of intervals) {
      const low = el.querySelector('.x-low'), high = el.querySelector('.x-high');
      if (!before(box(low.getBoundingClientRect()), box(high.getBoundingClientRect()), direction(el)))
        problems.push(`${describe(el)}: the high bound reads first`);
      for (const bound of [low, high]) {
        const text = bound.textContent.trim();
        const sign = text.match(/^[+\u2212-]/);
        if (!sign) continue;
        const signBox = textBox(bound, sign[0], false), digits = textBox(bound, text.slice(1, 2), false);
        if (!(signBox && digits && signBox.l < digits.l && sameLine(signBox, digits)))
          problems.push(`${describe(bound)}: the sign is not on the number's left`);
      }
    }
    return {count: intervals.length, problems};
  }

  if (check.kind === 'weeks') {
    const problems = [];
    let count = 0;
    const main = document.querySelector('main');
    const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (!n.parentElement || !visible(n.parentElement)) continue;
      for (const m of n.data.matchAll(/(\d{4})-(W\d{2})/g)) {
        const range = document.createRange();
        range.setStart(n, m.index);
        range.setEnd(n, m.index + 4);
        const year = box(range.getClientRects()[0]);
        range.setStart(n, m.index + 5);
        range.setEnd(n, m.index + m[0].length);
        const week = box(range.getClientRects()[0]);
        if (!year || !week) continue;
        count += 1;
        if (!(sameLine(year, week) && year.r <= week.l + 1)) problems.push(`${m[0]} in ${describe(n.parentElement)} reads ${n.parentElement.innerText.includes(m[2] + '-' + m[1]) ? 'reversed' : 'out of order'}`);
      }
    }
    return {count, problems};
  }

  if (check.kind === 'words') {
    // cells, badges, tiles and progress lines read in the page's direction; only the
    // figures inside them are left-to-right runs, read in the order they are written
    const problems = [];
    const page = direction(document.documentElement);
    // an element with its own dir is a figure (ltr) or typed text (auto), not words
    const holders = [...document.querySelectorAll(`main :is(${check.selector}):not([dir])`)].filter(visible);
    for (const el of holders) {
      if (direction(el) !== page) problems.push(`${describe(el)} reads ${direction(el)}`);
      const figures = [...el.querySelectorAll(':scope > [dir="ltr"]')].filter(visible);
      for (let i = 1; i < figures.length; i += 1) {
        const a = box(figures[i - 1].getBoundingClientRect()), b = box(figures[i].getBoundingClientRect());
        if (!before(a, b, page)) problems.push(`${describe(el)}: "${figures[i].textContent}" reads before "${figures[i - 1].textContent}"`);
      }
    }
    return {count: holders.length, problems};
  }

  if (check.kind === 'figures') {
    // each left-to-right figure reads left to right: its sign or comparison on its
    // number's left, its percent sign on its right
    const problems = [];
    const figures = [...document.querySelectorAll(check.selector)].filter(visible);
    for (const el of figures) {
      const text = el.textContent.trim();
      const digit = text.match(/\d/);
      if (!digit) continue;
      const first = textBox(el, digit[0], false);
      const lead = text.match(/^[+\u2212<>=-]/);
      if (lead) {
        const sign = textBox(el, lead[0], false);
        if (!(sign && first && sign.l < first.l)) problems.push(`${describe(el)}: "${lead[0]}" is not on the number's left`);
      }
      if (text.endsWith('%')) {
        const percent = textBox(el, '%', false);
        if (!(percent && first && percent.l > first.l)) problems.push(`${describe(el)}: "%" is not on the number's right`);
      }
    }
    return {count: figures.length, problems};
  }

  if (check.kind === 'overflow') {
    // every element and every run of text inside a card stays inside its parent's box,
    // unless a box between them scrolls or clips it on purpose
    const problems = [];
    const clipsBetween = (el, card) => {
      for (let a = el.parentElement; a && a !== card; a = a.parentElement) {
        const st = getComputedStyle(a);
        if (st.overflowX !== 'visible' || st.overflowY !== 'visible') return true;
      }
      return false;
    };
    const outside = (inner, outer) =>
      inner.l < outer.l - 1 || inner.r > outer.r + 1 || inner.t < outer.t - 1 || inner.b > outer.b + 1;
    for (const card of document.querySelectorAll('main .card')) {
      if (!visible(card)) continue;
      const cardBox = box(card.getBoundingClientRect());
      for (const el of card.querySelectorAll('*')) {
        if (!visible(el) || folded(el) || (el.closest('svg') && el.tagName.toLowerCase() !== 'svg')) continue;
        if (el.classList.contains('visually-hidden') || clipsBetween(el, card)) continue;
        // an inline parent's box is only its line's height: measure against the block around it
        let parent = el.parentElement;
        while (parent !== card && getComputedStyle(parent).display === 'inline') parent = parent.parentElement;
        const own = box(el.getBoundingClientRect());
        if (own.w === 0 || own.h === 0) continue;
        const parentBox = box(parent.getBoundingClientRect());
        if (getComputedStyle(el).position !== 'absolute' && outside(own, parentBox))
          problems.push(`${describe(el)} runs out of ${describe(parent)}`);
        else if (outside(own, cardBox)) problems.push(`${describe(el)} runs out of its card ${describe(card)}`);
      }
      const walker = document.createTreeWalker(card, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const parent = n.parentElement;
        if (!n.data.trim() || !parent || !visible(parent) || folded(parent) || parent.closest('svg')) continue;
        if (parent.closest('.visually-hidden') || clipsBetween(n, card)) continue;
        const range = document.createRange();
        range.selectNodeContents(n);
        const text = box(range.getBoundingClientRect());
        if (text.w && outside(text, box(parent.getBoundingClientRect())))
          problems.push(`the text "${n.data.trim().slice(0, 40)}" runs out of ${describe(parent)}`);
      }
    }
    return {problems: [...new Set(problems)]};
  }
  return null;
}
