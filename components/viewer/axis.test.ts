import { describe, expect, it } from 'vitest';
import { formatAmount, niceBelow, niceStep, scaleBar, timeAxis } from './axis';

describe('nice steps', () => {
  it('rounds up and down to 1, 2 or 5 × 10ⁿ', () => {
    expect([0.3 / 3, 0.13, 0.25, 3, 7, 1200].map(niceStep)).toEqual([0.1, 0.2, 0.5, 5, 10, 2000]);
    expect([0.13, 0.25, 3, 7, 1200, 100].map(niceBelow)).toEqual([0.1, 0.2, 2, 5, 1000, 100]);
  });
});

describe('the time axis', () => {
  it('labels a short window in milliseconds, with the decimals its step needs', () => {
    const axis = timeAxis(0.01, 0.02);
    expect(axis.unit).toBe('ms');
    expect(axis.ticks.map(axis.label)).toEqual(['10', '12', '14', '16', '18', '20']);
    expect(timeAxis(0, 0.001).ticks.map(timeAxis(0, 0.001).label).slice(0, 3)).toEqual(['0.0', '0.2', '0.4']);
  });

  it('labels seconds from a window two seconds long, ticks inside the window only', () => {
    const axis = timeAxis(59.3, 63.1);
    expect(axis.unit).toBe('s');
    expect(axis.ticks.map(axis.label)).toEqual(['59.5', '60.0', '60.5', '61.0', '61.5', '62.0', '62.5', '63.0']);
    expect(Math.min(...axis.ticks)).toBeGreaterThanOrEqual(59.3);
    expect(Math.max(...axis.ticks)).toBeLessThanOrEqual(63.1);
  });

  it('follows a zoom: a hundred times shorter, a hundred times finer', () => {
    const wide = timeAxis(0, 100);
    const narrow = timeAxis(0, 1);
    expect(wide.ticks[1]! - wide.ticks[0]!).toBeCloseTo(100 * (narrow.ticks[1]! - narrow.ticks[0]!));
    const hour = timeAxis(3600, 5400);
    expect(hour.ticks.map(hour.label)).toEqual(['4000', '4500', '5000']);
  });
});

describe('the scale bar', () => {
  it('is a nice amount that fits', () => {
    // 4.7 µV a pixel, at most 30 pixels: 141 µV fit, 100 µV is drawn, 21.3 pixels long.
    const bar = scaleBar(4.7, 30);
    expect(bar.value).toBe(100);
    expect(bar.pixels).toBeCloseTo(100 / 4.7);
    expect(formatAmount(bar.value, 'µV')).toBe('100 µV');
    expect(formatAmount(2500, 'µV')).toBe('2,500 µV');
  });
});
