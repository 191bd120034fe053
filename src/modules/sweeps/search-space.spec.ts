import { gridSize, trialsOf } from './search-space';

describe('search space', () => {
  it('makes every combination of a grid, in order', () => {
    const trials = trialsOf(
      [
        { name: 'lr', values: [0.1, 0.01] },
        { name: 'layers', values: [2, 3] },
      ],
      'grid',
      10,
      0,
    );
    expect(trials).toEqual([
      { lr: 0.1, layers: 2 },
      { lr: 0.1, layers: 3 },
      { lr: 0.01, layers: 2 },
      { lr: 0.01, layers: 3 },
    ]);
    expect(
      gridSize([
        { name: 'a', values: [1, 2, 3] },
        { name: 'b', values: [1, 2, 3] },
      ]),
    ).toBe(9);
  });

  it('stops a grid at maxTrials', () => {
    expect(trialsOf([{ name: 'a', values: [1, 2, 3] }], 'grid', 2, 0)).toHaveLength(2);
  });

  it('draws the same random trials from the same seed, inside each range', () => {
    const space = [
      { name: 'lr', min: 1e-4, max: 1e-1, type: 'float' as const, scale: 'log' as const },
      { name: 'batch', min: 16, max: 128, type: 'int' as const },
      { name: 'optimizer', values: ['adam', 'sgd'] },
    ];
    const first = trialsOf(space, 'random', 50, 42);
    expect(trialsOf(space, 'random', 50, 42)).toEqual(first);
    expect(trialsOf(space, 'random', 50, 43)).not.toEqual(first);
    for (const trial of first) {
      expect(trial.lr).toBeGreaterThanOrEqual(1e-4);
      expect(trial.lr).toBeLessThanOrEqual(1e-1);
      expect(Number.isInteger(trial.batch)).toBe(true);
      expect(trial.batch).toBeGreaterThanOrEqual(16);
      expect(trial.batch).toBeLessThanOrEqual(128);
      expect(['adam', 'sgd']).toContain(trial.optimizer);
    }
  });
});
