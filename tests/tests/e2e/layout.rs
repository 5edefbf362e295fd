//! "Nothing clipped": after every journey step, the app's window is checked for content that
//! the operator cannot see — the page or a screen scrolling sideways, text cut by a box that
//! hides its overflow (without an ellipsis saying so), or content spilling out of its card
//! over the next one (or out of the side menu). A box that scrolls sideways on purpose (a data
//! table at large text, which WCAG 1.4.10 lets scroll) holds its content: only the box itself
//! must stay in its card, and axe checks that it can be scrolled by keyboard.

use fantoccini::Client;

const CHECK: &str = r#"
const problems = [];
const name = (el) => {
  const text = (el.innerText || el.value || '').trim().replace(/\s+/g, ' ').slice(0, 40);
  return `${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : ''} "${text}"`;
};
const visible = (el) => {
  const cs = getComputedStyle(el);
  return cs.display !== 'none' && cs.visibility !== 'hidden' && el.getClientRects().length > 0;
};
for (const el of [document.scrollingElement, document.querySelector('main')]) {
  if (el && el.scrollWidth > el.clientWidth + 1) problems.push(`scrolls sideways (${el.scrollWidth} px in ${el.clientWidth}): ${name(el)}`);
}
for (const el of document.querySelectorAll('main *, nav *, footer *')) {
  // 1 px boxes are text for screen readers only, hidden on purpose.
  if (!visible(el) || el.clientWidth <= 1) continue;
  const cs = getComputedStyle(el);
  const hides = ['hidden', 'clip'].includes(cs.overflowX);
  if (hides && cs.textOverflow !== 'ellipsis' && el.scrollWidth > el.clientWidth + 1) {
    problems.push(`cut off (${el.scrollWidth} px in ${el.clientWidth}): ${name(el)}`);
  }
}
for (const panel of document.querySelectorAll('main .panel, nav')) {
  if (!visible(panel)) continue;
  const p = panel.getBoundingClientRect();
  const scrolls = (el) => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX);
  const inScroller = (el) => {
    for (let a = el.parentElement; a && a !== panel; a = a.parentElement) if (scrolls(a)) return true;
    return false;
  };
  for (const el of panel.querySelectorAll('*')) {
    if (!visible(el) || inScroller(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.width > 1 && (r.right > p.right + 1 || r.left < p.left - 1)) {
      problems.push(`out of its card (${Math.round(r.right - p.right)} px): ${name(el)} in ${name(panel).slice(0, 60)}`);
      break;
    }
  }
}
return problems.slice(0, 12);
"#;

/// What is clipped on the current page (the app's window).
pub async fn clipped(client: &Client) -> Vec<String> {
    let found = client.execute(CHECK, vec![]).await.expect("layout check");
    found
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect()
}
