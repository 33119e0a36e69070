import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { adminBody } from '../http';

/** What the admin route needs of the SIP endpoint (src/sim/sip/index.ts), once it runs. */
export interface SipControl {
  reissueCertificate(daysLeft: number): { validTo: string; daysLeft: number };
}

/** Days the reissued certificate has left: up to a year ahead, or up to a year expired. */
export const CertificateBody = z.object({ daysLeft: z.number().int().min(-365).max(365) }).strict();

/**
 * The connector domains' SBC, from the Zoom simulator's admin API (Zoom runs that endpoint): its
 * certificate reissued with N days left, for the health checks' certificate-expiry drift.
 */
export function registerSipAdmin(app: FastifyInstance, sip: () => SipControl | undefined): void {
  app.put('/__sim/sip/certificate', async (req, reply) => {
    const b = adminBody(CertificateBody, req.body, reply);
    if (!b) return;
    const control = sip();
    if (!control) return reply.code(409).send({ error: 'no SIP endpoint runs beside this simulator (start both with startSimulators or onboard sim)' });
    return control.reissueCertificate(b.daysLeft);
  });
}
