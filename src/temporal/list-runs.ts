import type { Client } from '@temporalio/client';
import { decodeSearchAttributes } from '@temporalio/common/lib/converter/payload-search-attributes';
import { decodeMapFromPayloads } from '@temporalio/common/lib/internal-non-workflow';

/** A run as visibility lists it, with its memo decoded when this process's payload keys can. */
export interface ListedRun {
  workflowId: string;
  searchAttributes: Record<string, unknown[] | undefined>;
  /** Undefined when the memo could not be decoded (a key this process does not hold, a corrupt payload). */
  memo: Record<string, unknown> | undefined;
}

/**
 * Every run a visibility query matches, each memo decoded on its own. The SDK's `workflow.list()`
 * decodes every row's memo inside its iterator, so one run encrypted under a key this process does
 * not hold (a retired key, another deployment's run in the namespace) threw out of the whole list
 * and took /metrics down with it; here that run is listed with no memo and the rest still count.
 */
export async function* listRuns(client: Client, query: string, pageSize = 1000): AsyncGenerator<ListedRun> {
  let nextPageToken: Uint8Array | undefined;
  do {
    const res = await client.workflowService.listWorkflowExecutions({ namespace: client.options.namespace, query, pageSize, nextPageToken });
    for (const e of res.executions ?? []) {
      const memo = await decodeMapFromPayloads(client.options.loadedDataConverter, e.memo?.fields as Record<string, never> | undefined).then(
        (m) => (m ?? {}) as Record<string, unknown>,
        () => undefined,
      );
      yield {
        workflowId: e.execution?.workflowId ?? '',
        searchAttributes: decodeSearchAttributes(e.searchAttributes?.indexedFields) as Record<string, unknown[] | undefined>,
        memo,
      };
    }
    nextPageToken = res.nextPageToken?.length ? res.nextPageToken : undefined;
  } while (nextPageToken);
}
