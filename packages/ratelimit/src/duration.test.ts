import { describe, expect, it } from 'vitest';
import { describeWait, describeWindow, parseDuration } from './duration.js';

describe('parseDuration', () => {
  it.each([
    [1500, 1500],
    ['500ms', 500],
    ['30s', 30_000],
    ['1m', 60_000],
    ['10 min', 600_000],
    ['2h', 7_200_000],
    ['1d', 86_400_000],
  ])('%s -> %s ms', (input, ms) => {
    expect(parseDuration(input)).toBe(ms);
  });

  it.each(['', '1', '1w', '-1s', '1.5s', 'soon', 1.5])('rejects %s', (input) => {
    expect(parseDuration(input)).toBeUndefined();
  });
});

describe('describeWindow', () => {
  it.each([
    [60_000, 'per minute'],
    [86_400_000, 'per day'],
    [1000, 'per second'],
    [600_000, 'every 10 minutes'],
    [7_200_000, 'every 2 hours'],
    [1500, 'every 1500 ms'],
  ])('%s ms reads "%s"', (ms, text) => {
    expect(describeWindow(ms)).toBe(text);
  });
});

describe('describeWait', () => {
  it.each([
    [1, '1 second'],
    [11_200, '12 seconds'],
    [60_000, '1 minute'],
    [61_000, '2 minutes'],
    [3_600_000, '1 hour'],
    [90_000_000, '25 hours'],
    [259_200_000, '3 days'],
  ])('%s ms reads "%s"', (ms, text) => {
    expect(describeWait(ms)).toBe(text);
  });
});
