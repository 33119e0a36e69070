import type { BotFile } from './routes/bot-io';

/**
 * The shapes of what a person sets up for a bot in AI for Service (SIP trunks, experience flows,
 * agent transfer), of its publish jobs and of its imports, as the Kore.ai simulator keeps them
 * (src/sim/kore/world.ts).
 */
/** Flows & Channels > Voice Gateway > SIP Numbers > Configure SIP Trunk ("Transfer from IVR"). */
export interface SimSipTrunk {
  trunkId: string;
  fqdn: string;
  did: string;
  dnsResolve: 'srv' | 'a';
  transport: 'tls' | 'tcp' | 'udp';
  padCrypto: boolean;
  inbound: boolean;
  outbound: boolean;
  /** The experience flow attached with Attach Flow. */
  attachedFlow?: string;
  /** What the console shows as the SIP URI (auto-populated for Contact Center AI). */
  sipUri: string;
}

/** An experience flow; `automationBotId` is the app its Automation node runs. */
export interface SimExperienceFlow {
  name: string;
  automationBotId?: string;
}

/** App Settings > Integration > Agent Transfer > Voice, or the dialog task's code. */
export interface SimAgentTransfer {
  via: 'agent-transfer-node' | 'dialog-task';
  /** SIP BYE with headers hands the call back to ZCC; anything else leaves the caller with the bot. */
  method: 'sip-bye' | 'sip-refer' | 'none';
  headers: Record<string, string>;
}

/** The part of a bot's setup a call uses: what the person saved (draft) and what the last publish put live. */
export interface SimBotSetup {
  sipTrunks: SimSipTrunk[];
  experienceFlows: SimExperienceFlow[];
  agentTransfer?: SimAgentTransfer;
}

export interface SimPublishStatus {
  status: 'successful' | 'failed' | 'inprogress';
  percentageComplete: number;
  requestedTime: string;
  initiatedOn: string;
  lastModifiedOn: string;
  statusSummary: Array<{ resourceId: string; resourceType: string; name: string; status: string }>;
}

export interface SimImport {
  id: string;
  botId: string;
  status: 'pending' | 'success' | 'failed';
  logs: Array<{ taskType: string; taskName: string; status: string }>;
  readyAt: number;
  file: BotFile;
  options?: { settings?: string[]; tasks?: string[] };
}
