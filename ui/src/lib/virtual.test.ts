import { describe, expect, it } from 'vitest';
import { MAX_SCROLL_HEIGHT, pagesFor, rowTop, rowsOffset, scrollSpace, scrollTopFor, visibleRange } from './virtual';

describe('windowing', () => {
  it('covers the rows in view plus a margin, clamped to the list', () => {
    expect(visibleRange(0, 300, 34, 100_000)).toEqual({ start: 0, end: 17 });
    expect(visibleRange(34 * 50_000, 300, 34, 100_000)).toEqual({ start: 49_992, end: 50_017 });
    expect(visibleRange(34 * 99_999, 300, 34, 100_000)).toEqual({ start: 99_991, end: 100_000 });
    expect(visibleRange(0, 300, 34, 0)).toEqual({ start: 0, end: 0 });
  });
  it('asks only for the pages that hold those rows', () => {
    expect(pagesFor({ start: 95, end: 110 }, 100)).toEqual([0, 1]);
    expect(pagesFor({ start: 49_992, end: 50_017 }, 100)).toEqual([499, 500]);
    expect(pagesFor({ start: 0, end: 0 }, 100)).toEqual([]);
  });
  it('keeps short lists at their natural height, one scrolled pixel per pixel of rows', () => {
    const space = scrollSpace(100_000, 34, 300);
    expect(space).toEqual({ height: 3_400_000, ratio: 1 });
    expect(rowTop(50_000, 34, 1_700_000, space)).toBe(1_700_000);
  });
  it('compresses a million rows into a height browsers can scroll, and reaches every row', () => {
    const total = 1_000_000;
    const space = scrollSpace(total, 34, 300);
    expect(space.height).toBe(MAX_SCROLL_HEIGHT);
    // At the bottom of the scroll the last row ends at the view's bottom edge.
    const bottom = space.height - 300;
    const offset = rowsOffset(bottom, space);
    expect(offset).toBeCloseTo(total * 34 - 300, 3);
    expect(visibleRange(offset, 300, 34, total).end).toBe(total);
    expect(rowTop(total - 1, 34, bottom, space) + 34).toBeCloseTo(bottom + 300, 3);
    // Half way down, the middle row is in view, placed inside the scrolled element.
    const middle = scrollTopFor(500_000 * 34, space);
    const range = visibleRange(rowsOffset(middle, space), 300, 34, total);
    expect(range.start).toBeLessThanOrEqual(500_000);
    expect(range.end).toBeGreaterThan(500_000);
    expect(rowTop(500_000, 34, middle, space)).toBeCloseTo(middle, 3);
  });
});
