import { SERVICE_TRANSITIONS, ServiceStatus, statusesLeadingTo } from './service-status';

describe('the service status machine', () => {
  it('lets nothing come back from stopping: a deleted service only goes away', () => {
    expect(SERVICE_TRANSITIONS[ServiceStatus.Stopping]).toEqual([]);
  });

  it('can delete a service from every other status', () => {
    expect(statusesLeadingTo(ServiceStatus.Stopping).sort()).toEqual(
      Object.values(ServiceStatus)
        .filter((status) => status !== ServiceStatus.Stopping)
        .sort(),
    );
  });

  it('brings a scaled-to-zero service back through deploying or straight to ready', () => {
    expect(SERVICE_TRANSITIONS[ServiceStatus.Stopped]).toEqual(
      expect.arrayContaining([ServiceStatus.Deploying, ServiceStatus.Ready]),
    );
  });
});
