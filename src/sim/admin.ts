import type { FastifyInstance } from 'fastify';
import { FaultSpec, type CallLog, type FaultInjector } from './faults';
import { adminBody } from './http';

/** Faults, call counts and reset: the same on both simulators. */
export function registerCommonAdmin(app: FastifyInstance, faults: FaultInjector, calls: CallLog, reset: () => void): void {
  app.post('/__sim/faults', async (req, reply) => {
    const b = adminBody(FaultSpec, req.body, reply);
    if (!b) return;
    return reply.code(201).send({ id: faults.add(b) });
  });
  app.get('/__sim/faults', async () => faults.list());
  app.delete('/__sim/faults', async () => {
    faults.clear();
    return { cleared: true };
  });
  app.get('/__sim/calls', async () => calls.snapshot());
  app.delete('/__sim/calls', async () => {
    calls.clear();
    return { cleared: true };
  });
  app.post('/__sim/reset', async () => {
    faults.clear();
    calls.clear();
    reset();
    return { reset: true };
  });
}
