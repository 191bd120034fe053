import { parseReportLine } from './report-line.parser';

describe('parseReportLine', () => {
  it('reads a metric with a step', () => {
    expect(parseReportLine('KILN_METRIC {"name":"loss","step":10,"value":0.31}')).toEqual({
      kind: 'metric',
      name: 'loss',
      step: 10,
      value: 0.31,
    });
  });

  it('reads a metric without a step', () => {
    expect(parseReportLine('KILN_METRIC {"name":"val/acc","value":0.9}')).toEqual({
      kind: 'metric',
      name: 'val/acc',
      value: 0.9,
    });
  });

  it('reads progress and clamps it to [0, 1]', () => {
    expect(parseReportLine('KILN_PROGRESS 0.45')).toEqual({ kind: 'progress', fraction: 0.45 });
    expect(parseReportLine('KILN_PROGRESS 1.7')).toEqual({ kind: 'progress', fraction: 1 });
    expect(parseReportLine('KILN_PROGRESS -3')).toEqual({ kind: 'progress', fraction: 0 });
  });

  it.each([
    ['plain output', 'epoch 3 done'],
    ['broken JSON', 'KILN_METRIC {"name":'],
    ['a non-numeric value', 'KILN_METRIC {"name":"loss","value":"low"}'],
    ['an infinite value', 'KILN_METRIC {"name":"loss","value":1e999}'],
    ['a negative step', 'KILN_METRIC {"name":"loss","step":-1,"value":1}'],
    [
      'a step of 1e300, past any integer column',
      'KILN_METRIC {"name":"loss","step":1e300,"value":1}',
    ],
    ['a name with spaces', 'KILN_METRIC {"name":"my loss","value":1}'],
    ['empty progress', 'KILN_PROGRESS '],
    ['non-numeric progress', 'KILN_PROGRESS half'],
  ])('treats %s as ordinary output', (_label, line) => {
    expect(parseReportLine(line)).toBeUndefined();
  });
});
