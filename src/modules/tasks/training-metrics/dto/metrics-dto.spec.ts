import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { MetricsQuery } from './metrics.query';
import { ReportMetricsDto } from './report-metrics.dto';

// The options of the global ValidationPipe (src/common/core.module.ts).
function check<T extends object>(cls: new () => T, plain: unknown) {
  const instance = plainToInstance(cls, plain);
  const errors = validateSync(instance, {
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
  });
  return { instance, failed: fieldsOf(errors) };
}

function fieldsOf(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((error) => {
    const path = prefix + error.property;
    return error.children?.length ? fieldsOf(error.children, `${path}.`) : [path];
  });
}

const point = (overrides: Record<string, unknown> = {}) => ({
  name: 'train/loss',
  step: 10,
  value: 0.31,
  ...overrides,
});

describe('ReportMetricsDto', () => {
  it('accepts points with and without step and time, and a progress', () => {
    const { failed } = check(ReportMetricsDto, {
      points: [point(), { name: 'lr', value: 1e-4, time: '2026-11-23T09:00:00.000Z' }],
      progress: 0.45,
    });
    expect(failed).toEqual([]);
  });

  it('accepts an empty list and exactly 1000 points', () => {
    expect(check(ReportMetricsDto, { points: [] }).failed).toEqual([]);
    const points = Array.from({ length: 1000 }, (_, step) => point({ step }));
    expect(check(ReportMetricsDto, { points }).failed).toEqual([]);
  });

  it('rejects more than 1000 points', () => {
    const points = Array.from({ length: 1001 }, (_, step) => point({ step }));
    expect(check(ReportMetricsDto, { points }).failed).toEqual(['points']);
  });

  it.each([
    ['an empty name', { name: '' }],
    ['a name with a space', { name: 'train loss' }],
    ['a name with a quote', { name: 'loss"' }],
    ['a name of 129 characters', { name: 'a'.repeat(129) }],
    ['a numeric name', { name: 5 }],
  ])('rejects %s', (_label, overrides) => {
    expect(check(ReportMetricsDto, { points: [point(overrides)] }).failed).toEqual([
      'points.0.name',
    ]);
  });

  it('accepts a name of 128 characters with every allowed symbol', () => {
    const name = `Ab9_.:/-${'x'.repeat(120)}`;
    expect(check(ReportMetricsDto, { points: [point({ name })] }).failed).toEqual([]);
  });

  it.each([
    ['a negative step', { step: -1 }],
    ['a fractional step', { step: 1.5 }],
    ['a string step', { step: '3' }],
  ])('rejects %s', (_label, overrides) => {
    expect(check(ReportMetricsDto, { points: [point(overrides)] }).failed).toEqual([
      'points.0.step',
    ]);
  });

  it.each([
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['a string', '0.5'],
    ['null', null],
  ])('rejects a value of %s', (_label, value) => {
    expect(check(ReportMetricsDto, { points: [point({ value })] }).failed).toEqual([
      'points.0.value',
    ]);
  });

  it('rejects a time that is not ISO-8601', () => {
    const { failed } = check(ReportMetricsDto, { points: [point({ time: 'yesterday' })] });
    expect(failed).toEqual(['points.0.time']);
  });

  it.each([-0.1, 1.01, Number.NaN])('rejects progress %p', (progress) => {
    expect(check(ReportMetricsDto, { points: [], progress }).failed).toEqual(['progress']);
  });

  it('rejects unknown fields on the report and on a point', () => {
    const { failed } = check(ReportMetricsDto, {
      points: [point({ unit: 'nats' })],
      status: 'succeeded',
    });
    expect(failed.sort()).toEqual(['points.0.unit', 'status']);
  });

  it('rejects a report without points', () => {
    expect(check(ReportMetricsDto, { progress: 0.5 }).failed).toEqual(['points']);
  });
});

describe('MetricsQuery', () => {
  it('defaults maxPoints to 1000 and leaves names and attempt unset', () => {
    const { instance, failed } = check(MetricsQuery, {});
    expect(failed).toEqual([]);
    expect(instance.maxPoints).toBe(1000);
    expect(instance.names).toBeUndefined();
    expect(instance.attempt).toBeUndefined();
  });

  it('parses comma-separated and repeated names, numbers from strings', () => {
    const { instance, failed } = check(MetricsQuery, {
      names: ['train/loss, val/acc', 'lr,'],
      maxPoints: '500',
      attempt: '2',
    });
    expect(failed).toEqual([]);
    expect(instance).toEqual({
      names: ['train/loss', 'val/acc', 'lr'],
      maxPoints: 500,
      attempt: 2,
    });
  });

  it.each(['1', '10001', '2.5', 'many'])('rejects maxPoints=%s', (maxPoints) => {
    expect(check(MetricsQuery, { maxPoints }).failed).toEqual(['maxPoints']);
  });

  it('accepts maxPoints at both limits', () => {
    expect(check(MetricsQuery, { maxPoints: '2' }).failed).toEqual([]);
    expect(check(MetricsQuery, { maxPoints: '10000' }).failed).toEqual([]);
  });

  it('accepts 50 names and rejects 51', () => {
    const names = (count: number) => Array.from({ length: count }, (_, i) => `m${i}`).join(',');
    expect(check(MetricsQuery, { names: names(50) }).failed).toEqual([]);
    expect(check(MetricsQuery, { names: names(51) }).failed).toEqual(['names']);
  });

  it('rejects an invalid name among valid ones', () => {
    expect(check(MetricsQuery, { names: 'loss,bad name' }).failed).toEqual(['names']);
  });

  it.each(['0', '-1', 'x'])('rejects attempt=%s', (attempt) => {
    expect(check(MetricsQuery, { attempt }).failed).toEqual(['attempt']);
  });
});
