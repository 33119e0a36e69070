/**
 * The workflow's public interface, in one place: its name and task queue, its input, the messages
 * and their payloads, what Updates answer, why it refuses, the progress document, and what it
 * publishes for lists (search attributes, memo). Clients reach the workflow only through this.
 */
export const WORKFLOW_TYPE = 'tenantOnboarding';
export const TASK_QUEUE = 'kore-zcc-onboarding';

export * from './messages';
export * from './payloads';
export * from './progress';
export * from './refusals';
export * from './memo';
export * from './audit';
export * from './carried';
export * as SearchAttributes from './search-attributes';
