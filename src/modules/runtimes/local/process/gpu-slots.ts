// Hands out this machine's GPU indices to runs, so two runs never share a GPU and a
// run sees only its own through CUDA_VISIBLE_DEVICES.
import { GpusUnavailableError } from '../local-runtime.errors';

export class GpuSlots {
  private readonly free: Set<number>;

  constructor(readonly total: number) {
    this.free = new Set(Array.from({ length: total }, (_, index) => index));
  }

  get available(): number {
    return this.free.size;
  }

  /** Takes `count` free GPUs, lowest indices first; throws when there are not enough. */
  allocate(count: number): number[] {
    if (count > this.free.size) throw new GpusUnavailableError(count, this.free.size, this.total);
    const taken = [...this.free].sort((a, b) => a - b).slice(0, count);
    for (const index of taken) this.free.delete(index);
    return taken;
  }

  release(indices: readonly number[]): void {
    for (const index of indices) if (index >= 0 && index < this.total) this.free.add(index);
  }
}
