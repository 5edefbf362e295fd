import { describe, expect, it } from 'vitest';
import { pagesFor, visibleRange } from './virtual';

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
});
