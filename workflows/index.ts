// The workflow bundle's entry point: every workflow type the worker registers.
export { tenantOnboarding } from './onboarding';
export { tenantHealth } from './health/health';
