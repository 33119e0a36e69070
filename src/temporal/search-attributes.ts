import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * Our custom search attributes, typed. Workflow-safe (only @temporalio/common), so the workflow
 * upserts the very keys the dev server registers and the CLI and API filter on.
 * They hold no secret and no personal detail: the tenant id, a status, step ids, a flag.
 */
export const TenantId = defineSearchAttributeKey('TenantId', SearchAttributeType.KEYWORD);
export const OnboardingStatus = defineSearchAttributeKey('OnboardingStatus', SearchAttributeType.KEYWORD);
export const OpenSteps = defineSearchAttributeKey('OpenSteps', SearchAttributeType.KEYWORD_LIST);
export const WaitingOnHuman = defineSearchAttributeKey('WaitingOnHuman', SearchAttributeType.BOOL);

export const SEARCH_ATTRIBUTES = [TenantId, OnboardingStatus, OpenSteps, WaitingOnHuman] as const;

/** The names `temporal server start-dev --search-attribute Name=Type` takes. */
const CLI_TYPE_NAMES: Record<string, string> = {
  [SearchAttributeType.TEXT]: 'Text',
  [SearchAttributeType.KEYWORD]: 'Keyword',
  [SearchAttributeType.INT]: 'Int',
  [SearchAttributeType.DOUBLE]: 'Double',
  [SearchAttributeType.BOOL]: 'Bool',
  [SearchAttributeType.DATETIME]: 'Datetime',
  [SearchAttributeType.KEYWORD_LIST]: 'KeywordList',
};

export function searchAttributeFlags(): string[] {
  return SEARCH_ATTRIBUTES.flatMap((key) => ['--search-attribute', `${key.name}=${CLI_TYPE_NAMES[key.type]}`]);
}
