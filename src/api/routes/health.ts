import type { FastifyInstance, preHandlerAsyncHookHandler } from 'fastify';
import type { HealthChecks } from '../../app';
import type { Role } from '../auth';
import { EmptyBody, HealthEnableBody, TenantIdParam } from '../schemas';
import { caller, parse, tenantOf, who } from './onboardings';

/** A live tenant's health checks: read (viewer), run now, enable, disable (engineer; `by` is the token's person). */
export function registerHealthRoutes(app: FastifyInstance, health: HealthChecks, role: (r: Role) => { preHandler: preHandlerAsyncHookHandler }): void {
  app.get('/api/v1/onboardings/:tenantId/health', role('viewer'), async (req) => health.status(tenantOf(req, TenantIdParam).tenantId));

  app.post('/api/v1/onboardings/:tenantId/health/run', role('engineer'), async (req) => {
    const { tenantId } = tenantOf(req, TenantIdParam);
    parse(EmptyBody, req.body, 'body');
    const view = await health.run(tenantId, caller(req));
    req.log.info({ tenantId, action: 'health-run', by: who(req), status: view.status }, 'health checks run');
    return view;
  });

  app.post('/api/v1/onboardings/:tenantId/health/enable', role('engineer'), async (req) => {
    const { tenantId } = tenantOf(req, TenantIdParam);
    const { every } = parse(HealthEnableBody, req.body, 'body');
    const view = await health.enable(tenantId, { ...caller(req), ...(every ? { every } : {}) });
    req.log.info({ tenantId, action: 'health-enable', by: who(req), every: view.every }, 'health checks enabled');
    return view;
  });

  app.post('/api/v1/onboardings/:tenantId/health/disable', role('engineer'), async (req) => {
    const { tenantId } = tenantOf(req, TenantIdParam);
    parse(EmptyBody, req.body, 'body');
    const view = await health.disable(tenantId, caller(req));
    req.log.info({ tenantId, action: 'health-disable', by: who(req) }, 'health checks disabled');
    return view;
  });
}
