import { describe, expect, it } from 'vitest';
import { add, cmp, decimalsOf, fixDecimals, floorToStep, formatPrice, formatQty, group, isMultipleOf, mul, roundToStep, sub } from './decimal';

describe('decimal', () => {
  it.each([
    ['0.01', 2],
    ['0.5', 1],
    ['1', 0],
    ['0.00001', 5],
    ['0.0100', 2],
  ])('decimalsOf(%s) = %i', (s, d) => expect(decimalsOf(s)).toBe(d));

  it('is exact where floats are not', () => {
    expect(add('0.1', '0.2')).toBe('0.3');
    expect(mul('0.01', '30123.45')).toBe('301.2345');
    expect(sub('1', '0.00001')).toBe('0.99999');
    expect(mul('-2', '1.5')).toBe('-3');
    expect(cmp('1.10', '1.1')).toBe(0);
    expect(cmp('-1', '0.5')).toBe(-1);
  });

  it.each([
    ['30123.456', '0.01', '30123.46'],
    ['30123.454', '0.01', '30123.45'],
    ['7.3', '0.5', '7.5'],
    ['7.2', '0.5', '7.0'],
    ['30000', '0.01', '30000.00'],
    ['-1.005', '0.01', '-1.01'],
  ])('roundToStep(%s, %s) = %s', (v, s, want) => expect(roundToStep(v, s)).toBe(want));

  it('floors quantities to the lot and checks the grid', () => {
    expect(floorToStep('0.123456', '0.00001')).toBe('0.12345');
    expect(isMultipleOf('0.12345', '0.00001')).toBe(true);
    expect(isMultipleOf('0.123456', '0.00001')).toBe(false);
    expect(isMultipleOf('30000.5', '0.01')).toBe(true);
  });

  it('formats prices to the instrument tick with grouping', () => {
    expect(formatPrice('30123.4', '0.01')).toBe('30,123.40');
    expect(formatPrice('1234567.891', '0.1')).toBe('1,234,567.9');
    expect(formatPrice('0.5', '0.001')).toBe('0.500');
    expect(formatPrice(undefined, '0.01')).toBe('—');
    expect(formatPrice('abc', '0.01')).toBe('—');
    expect(formatQty('1.5', '0.00001')).toBe('1.50000');
    expect(group('-1234.5')).toBe('-1,234.5');
    expect(fixDecimals('2.345', 2)).toBe('2.35');
  });
});
