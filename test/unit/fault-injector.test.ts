import { FaultInjector } from '../../src/sim/faults';

describe('simulator fault injection', () => {
  it('a per-client cap stops refusing a client once it has had its share, other clients still get theirs', () => {
    const faults = new FaultInjector();
    faults.add({ path: '/v2/', status: 503, countPerClient: 2 });
    const take = (client: string) => faults.take('GET', '/v2/x', '/v2/x', client)?.status;
    expect([take('a'), take('a'), take('a'), take('b'), take('b'), take('b')]).toEqual([503, 503, undefined, 503, 503, undefined]);
    expect(faults.list()[0]).toMatchObject({ hits: 4, byClient: { a: 2, b: 2 } });
  });
});
