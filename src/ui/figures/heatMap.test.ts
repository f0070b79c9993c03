import { describe, expect, it } from 'vitest';
import { cellAt, cellSize, heatFrame, labelEvery } from './heatMap';

describe('heat map layout and hover', () => {
  const grid = { rows: 3, cols: 4, cellW: 10, cellH: 5 };

  it('finds the cell under the pointer', () => {
    expect(cellAt(grid, 0, 0)).toEqual({ row: 0, col: 0 });
    expect(cellAt(grid, 9.9, 4.9)).toEqual({ row: 0, col: 0 });
    expect(cellAt(grid, 10, 5)).toEqual({ row: 1, col: 1 });
    expect(cellAt(grid, 39.9, 14.9)).toEqual({ row: 2, col: 3 });
  });

  it('gives the row but no column right of the cells (the gating figure’s selectivity bars)', () => {
    expect(cellAt(grid, 40, 7)).toEqual({ row: 1, col: null });
    expect(cellAt(grid, 500, 7)).toEqual({ row: 1, col: null });
  });

  it('finds nothing above, below or left of the rows', () => {
    expect(cellAt(grid, 5, -1)).toBeNull();
    expect(cellAt(grid, 5, 15)).toBeNull();
    expect(cellAt(grid, -1, 5)).toBeNull();
    expect(cellAt({ ...grid, rows: 0 }, 0, 0)).toBeNull();
    expect(cellAt(grid, NaN, 2)).toBeNull();
  });

  it('sizes cells in whole pixels within bounds', () => {
    expect(cellSize(100, 8, 1, 14)).toBe(12);
    expect(cellSize(1000, 8, 1, 14)).toBe(14);
    expect(cellSize(100, 400, 1, 14)).toBe(1);
    expect(cellSize(100, 0, 8, 48)).toBe(8);
  });

  it('thins labels to keep them apart', () => {
    expect(labelEvery(14, 13)).toBe(1);
    expect(labelEvery(4, 13)).toBe(4);
    expect(labelEvery(1, 13)).toBe(13);
  });

  it('frames the canvas in its margins, at least minW wide inside them', () => {
    const m = { left: 30, right: 10, top: 6, bottom: 44 };
    expect(heatFrame(m, 200, 100)).toEqual({ width: 240, height: 150, left: 30, top: 6, canvasW: 200, canvasH: 100 });
    expect(heatFrame(m, 50, 100, 120).width).toBe(160);
  });
});
