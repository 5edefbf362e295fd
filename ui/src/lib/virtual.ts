// Windowing for long lists: only the rows in view (plus a margin) are rendered, and only the
// pages of rows they need are fetched. 100,000 journal entries scroll like 20.

export interface Range {
  start: number;
  end: number; // exclusive
}

export function visibleRange(scrollTop: number, viewport: number, rowHeight: number, total: number, overscan = 8): Range {
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(total, Math.ceil((scrollTop + viewport) / rowHeight) + overscan);
  return { start: first, end: Math.max(first, last) };
}

/** The page numbers (of `pageSize` rows) that cover `range`. */
export function pagesFor(range: Range, pageSize: number): number[] {
  if (range.end <= range.start) return [];
  const pages: number[] = [];
  for (let p = Math.floor(range.start / pageSize); p <= Math.floor((range.end - 1) / pageSize); p++) pages.push(p);
  return pages;
}

/**
 * Browsers cap how tall an element can be (WebKit near 33.5 million px, others lower), and a
 * million journal rows are 34 million px. Past this height the list's scroll space is
 * compressed: one scrolled pixel moves `ratio` pixels of rows, and the rows in view are placed
 * relative to the view.
 */
export const MAX_SCROLL_HEIGHT = 8_000_000;

export interface ScrollSpace {
  /** The scrolled element's height, in px. */
  height: number;
  /** Rows' pixels per scrolled pixel: 1 until the rows outgrow MAX_SCROLL_HEIGHT. */
  ratio: number;
}

export function scrollSpace(total: number, rowHeight: number, viewport: number, max = MAX_SCROLL_HEIGHT): ScrollSpace {
  const rows = total * rowHeight;
  if (rows <= max || max <= viewport) return { height: rows, ratio: 1 };
  return { height: max, ratio: (rows - viewport) / (max - viewport) };
}

/** How far down the rows the view starts, in rows' pixels (what `visibleRange` takes). */
export function rowsOffset(scrollTop: number, space: ScrollSpace): number {
  return scrollTop * space.ratio;
}

/** Where row `index` sits in the scrolled element, so that it shows at its place in the view. */
export function rowTop(index: number, rowHeight: number, scrollTop: number, space: ScrollSpace): number {
  return index * rowHeight - rowsOffset(scrollTop, space) + scrollTop;
}

/** The scroll position that starts the view `offset` rows' pixels down. */
export function scrollTopFor(offset: number, space: ScrollSpace): number {
  return offset / space.ratio;
}
