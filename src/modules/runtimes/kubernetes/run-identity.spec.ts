import { DNS_LABEL } from '../../../common/validation/dns-label';
import { jobNameFor, labelValueOf, parseHandleId, handleIdOf } from './run-identity';

describe('jobNameFor', () => {
  it('names the Job after a plain task id and the attempt', () => {
    expect(jobNameFor('0b5c6f1e-7c1a-4f3e-9a55-c0ffee000001', 2)).toBe(
      'kiln-0b5c6f1e-7c1a-4f3e-9a55-c0ffee000001-2',
    );
  });

  it('gives the same name every time, so a repeated launch finds the first Job', () => {
    expect(jobNameFor('Task_42', 1)).toBe(jobNameFor('Task_42', 1));
  });

  it('turns any id into a valid DNS label of at most 63 characters', () => {
    for (const id of ['UPPER case', 'x'.repeat(200), '---', 'ümlaut/ünd.dots', '']) {
      const name = jobNameFor(id, 12345);
      expect({ id, name, valid: DNS_LABEL.test(name) }).toEqual({ id, name, valid: true });
    }
  });

  it('keeps ids that slug alike apart', () => {
    expect(jobNameFor('Task_42', 1)).not.toBe(jobNameFor('task-42', 1));
    expect(jobNameFor('a'.repeat(100), 1)).not.toBe(jobNameFor(`${'a'.repeat(99)}b`, 1));
  });
});

describe('labelValueOf', () => {
  it('makes a valid label value of any text', () => {
    expect(labelValueOf('gpu queue/a100')).toBe('gpu-queue-a100');
    expect(labelValueOf(`-${'q'.repeat(80)}`)).toHaveLength(62);
  });
});

describe('handle ids', () => {
  it('round-trips namespace and Job name', () => {
    expect(parseHandleId(handleIdOf('training', 'kiln-a-1'))).toEqual({
      namespace: 'training',
      jobName: 'kiln-a-1',
    });
    expect(() => parseHandleId('1234:5678')).toThrow(/not a Kubernetes run handle/);
  });
});
