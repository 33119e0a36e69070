import { SearchAttributeType } from '@temporalio/common';
import { REGISTERED_SEARCH_ATTRIBUTES, SEARCH_ATTRIBUTES } from '../../workflows/contract/search-attributes';

/** The onboarding's search attributes, and every one to register on a server (the health workflow's HealthStatus too). */
export { REGISTERED_SEARCH_ATTRIBUTES, SEARCH_ATTRIBUTES };

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
  return REGISTERED_SEARCH_ATTRIBUTES.flatMap((key) => ['--search-attribute', `${key.name}=${CLI_TYPE_NAMES[key.type]}`]);
}
