// A small accessibility check run in the page (axe-core is not available offline): returns the problems found,
// each a short sentence naming the element. It checks what WCAG 2.1 AA asks that a static page can get wrong:
// lang on <html>, alt on every image, a label on every form control, one h1 and no skipped heading level,
// no link without text, and a text contrast of at least 4.5:1 (3:1 for large text) from the computed styles.
() => {
  const problems = [];
  const describe = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className ? '.' + String(el.className).split(' ').join('.') : '')
      + ' "' + (el.textContent || '').trim().slice(0, 40) + '"';
  if (!document.documentElement.getAttribute('lang')) {
    problems.push('html has no lang attribute');
  }
  for (const img of document.querySelectorAll('img')) {
    if (!img.hasAttribute('alt')) {
      problems.push('image without alt text: ' + img.getAttribute('src'));
    }
  }
  for (const c of document.querySelectorAll('input, select, textarea')) {
    if (c.type === 'hidden') {
      continue;
    }
    const labelled = (c.getAttribute('aria-label') || '').trim() || c.getAttribute('aria-labelledby') || c.closest('label')
        || (c.id && document.querySelector('label[for="' + CSS.escape(c.id) + '"]'));
    if (!labelled) {
      problems.push('form control without a label: ' + describe(c));
    }
  }
  for (const b of document.querySelectorAll('button')) {
    if (!(b.textContent || '').trim() && !(b.getAttribute('aria-label') || '').trim()) {
      problems.push('button without a name: ' + describe(b));
    }
  }
  const headings = [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')];
  const h1s = headings.filter(h => h.tagName === 'H1').length;
  if (h1s !== 1) {
    problems.push('the page has ' + h1s + ' h1 headings, not one');
  }
  let previous = 0;
  for (const h of headings) {
    const level = Number(h.tagName[1]);
    if (level > previous + 1) {
      problems.push('heading level skipped: h' + level + ' after h' + previous + ': ' + describe(h));
    }
    previous = level;
  }
  for (const a of document.querySelectorAll('a')) {
    const text = (a.textContent || '').trim() || (a.getAttribute('aria-label') || '').trim()
        || [...a.querySelectorAll('img')].map(i => i.getAttribute('alt') || '').join('').trim();
    if (!text) {
      problems.push('link without text: ' + a.getAttribute('href'));
    }
  }
  const rgba = s => {
    const m = s.match(/rgba?\(([^)]+)\)/);
    if (!m) {
      return [0, 0, 0, 0];
    }
    const p = m[1].split(/[ ,\/]+/).filter(x => x).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const luminance = ([r, g, b]) => {
    const f = v => { v /= 255; return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = el => {
    // the first opaque background up the tree, blended over white (the canvas) when translucent
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = rgba(getComputedStyle(e).backgroundColor);
      if (c[3] > 0) {
        layers.push(c);
        if (c[3] >= 1) {
          break;
        }
      }
    }
    let base = [255, 255, 255];
    for (const c of layers.reverse()) {
      base = base.map((v, i) => c[i] * c[3] + v * (1 - c[3]));
    }
    return base;
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const seen = new Set();
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!n.textContent.trim() || !el || seen.has(el)) {
      continue;
    }
    seen.add(el);
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.display === 'none' || el.getClientRects().length === 0) {
      continue;
    }
    const fg = rgba(style.color);
    const bg = background(el);
    const color = fg.slice(0, 3).map((v, i) => v * fg[3] + bg[i] * (1 - fg[3]));
    const [l1, l2] = [luminance(color), luminance(bg)].sort((a, b) => b - a);
    const ratio = (l1 + 0.05) / (l2 + 0.05);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    if (ratio < (large ? 3 : 4.5)) {
      problems.push('text contrast ' + ratio.toFixed(2) + ':1 (' + style.color + ' on rgb(' + bg.map(Math.round).join(', ') + ')): ' + describe(el));
    }
  }
  return problems;
}
