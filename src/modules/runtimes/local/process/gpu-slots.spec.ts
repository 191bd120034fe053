import { GpuSlots } from './gpu-slots';
import { GpusUnavailableError } from '../local-runtime.errors';

describe('GpuSlots', () => {
  it('hands out distinct indices, lowest first, and takes them back on release', () => {
    const slots = new GpuSlots(4);
    expect(slots.allocate(2)).toEqual([0, 1]);
    expect(slots.allocate(1)).toEqual([2]);
    slots.release([0, 1]);
    expect(slots.allocate(3)).toEqual([0, 1, 3]);
    expect(slots.available).toBe(0);
  });

  it('refuses a request larger than what is free, naming both numbers', () => {
    const slots = new GpuSlots(2);
    slots.allocate(1);
    expect(() => slots.allocate(2)).toThrow(GpusUnavailableError);
    expect(() => slots.allocate(2)).toThrow('needs 2 GPUs but 1 of 2 are free');
    expect(slots.available).toBe(1);
  });

  it('gives an empty list for a run that needs no GPU, even on a machine without any', () => {
    expect(new GpuSlots(0).allocate(0)).toEqual([]);
  });
});
