import type { CallLog, FaultInjector } from './faults';
import type { SimBotSetup } from './kore/world';

/** What the simulators' admin API answers, as src/sim/admin-client.ts returns it. */
export interface KoreBotView {
  botId: string;
  name: string;
  summaryEnabled: boolean;
  published: boolean;
}
export interface ScopesView {
  scopes: string[];
}
/** What happened to a simulated call (the truth, for tests; our verifiers see only the vendor APIs). */
export interface TestCallResult {
  /** `bot`: a Kore.ai session; `fallback`: ZCC's flow sent it to a queue; `nowhere`: no published flow answers the number. */
  reached: 'bot' | 'fallback' | 'nowhere';
  engagementId?: string;
  flowId?: string;
  koreSessionId?: string;
  transferredToAgent?: boolean;
  /** Why the call did not reach the bot. */
  failure?: string;
}
export interface KoreBotSetupView {
  botId: string;
  published: boolean;
  publishedAt?: number;
  draft: SimBotSetup;
  live: SimBotSetup | null;
  summaryEnabled: boolean;
}
export type FaultView = ReturnType<FaultInjector['list']>[number];
export type CallCounts = ReturnType<CallLog['snapshot']>;
