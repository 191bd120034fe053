import { parseServiceHandleId, serviceHandleIdOf, serviceObjectName } from './service-identity';

const NAME = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;

describe('service object names', () => {
  it('names the objects of a service after its id, the same on every Kiln process', () => {
    const id = '7d0c1e2a-3b4c-4d5e-8f60-000000000001';
    expect(serviceObjectName(id)).toBe(`kiln-svc-${id}`);
    expect(serviceObjectName(id)).toBe(serviceObjectName(id));
  });

  it('makes a valid, distinct name of an id that is not one', () => {
    const a = serviceObjectName('Team_A/Iris Model');
    const b = serviceObjectName('team-a-iris-model');
    const long = serviceObjectName('x'.repeat(80));
    for (const name of [a, long]) expect(name).toMatch(NAME);
    expect(a).not.toBe(b);
    expect(long.length).toBeLessThanOrEqual(63);
  });

  it('round-trips a handle id and refuses one that is not', () => {
    expect(parseServiceHandleId(serviceHandleIdOf('kiln', 'kiln-svc-a'))).toEqual({
      namespace: 'kiln',
      name: 'kiln-svc-a',
    });
    expect(() => parseServiceHandleId('kiln')).toThrow(/handle id/);
  });
});
