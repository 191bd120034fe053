import { createKilnClient, isTaskFeedEvent, type LiveEvent } from '@kiln/client';

const taskEvent = { id: 41, kind: 'status', taskId: 't', to: 'running' };
const serviceEvent = { id: 7, kind: 'service.ready', serviceId: 's', to: 'ready' };

describe('the client’s live event feed', () => {
  it('asks for the filters it is given and yields task and service events, told apart by kind', async () => {
    const asked: string[] = [];
    const fetch = async (request: Request) => {
      asked.push(request.url);
      const frames =
        `id: 41:6\nevent: status\ndata: ${JSON.stringify(taskEvent)}\n\n` +
        `id: 41:7\nevent: service.ready\ndata: ${JSON.stringify(serviceEvent)}\n\n`;
      return new Response(frames, { headers: { 'content-type': 'text/event-stream' } });
    };
    const client = createKilnClient({ baseUrl: 'http://kiln.test', fetch });
    const stop = new AbortController();
    const seen: LiveEvent[] = [];
    for await (const event of client.events({
      serviceId: 's',
      kind: ['status', 'service.ready'],
      signal: stop.signal,
    })) {
      seen.push(event);
      if (seen.length === 2) stop.abort();
    }
    expect(asked[0]).toBe('http://kiln.test/api/v1/events?serviceId=s&kind=status%2Cservice.ready');
    expect(seen.map(isTaskFeedEvent)).toEqual([true, false]);
  });
});
