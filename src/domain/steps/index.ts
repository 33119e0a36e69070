import type { z } from 'zod';
import { associateExperienceFlow } from './associate-experience-flow';
import { authorizeZoomConnector } from './authorize-zoom-connector';
import { configureAgentTransfer } from './configure-agent-transfer';
import { configureSipTrunk } from './configure-sip-trunk';
import { createZoomConnector } from './create-zoom-connector';
import type { StepDefinition } from './define';
import { readsChange } from '../tenant-patch';
import { enableChatHistoryScope, enableChatHistoryScopeV1 } from './enable-chat-history-scope';
import { acceptGenAiPolicy } from './accept-genai-policy';
import { enableConversationSummary, enableConversationSummaryV4 } from './enable-conversation-summary';
import { placeTestCall, placeTestCallV2, placeTestCallV4 } from './place-test-call';
import { publishApp, publishAppV4 } from './publish-app';
import { publishZccFlowStep } from './publish-zcc-flow';
import { routeZccFlowToConnector, routeZccFlowToConnectorV4 } from './route-zcc-flow-to-connector';
import { sipPreflight } from './sip-preflight';
import { verifyChatHistoryAccess } from './verify-chat-history-access';
import { verifyConversationSummary, verifyConversationSummaryV1 } from './verify-conversation-summary';
import { verifyKoreAccess } from './verify-kore-access';
import { verifyZoomAccess } from './verify-zoom-access';

/**
 * The checklist of the vendor guide as data, one file per step, in the guide's order of work. The
 * workflow engine walks this graph; no step has a code path of its own. Adding a step: a new file
 * beside these, one line here, and its activity (named in the file, typed by the activity contract).
 */
const CATALOGUE_V4 = [
  verifyKoreAccess,
  verifyZoomAccess,
  associateExperienceFlow,
  createZoomConnector,
  sipPreflight,
  configureSipTrunk,
  configureAgentTransfer,
  routeZccFlowToConnectorV4,
  publishZccFlowStep,
  authorizeZoomConnector,
  enableChatHistoryScope,
  acceptGenAiPolicy,
  enableConversationSummaryV4,
  publishAppV4,
  verifyChatHistoryAccess,
  placeTestCallV4,
  verifyConversationSummary,
] as const;

/**
 * Version 3: the ZCC flow was routed and published in one human step, and XO GPT's policy, model
 * and summary feature were one human step; publish was a person's only.
 */
const CATALOGUE_V3 = [
  verifyKoreAccess,
  verifyZoomAccess,
  associateExperienceFlow,
  createZoomConnector,
  configureSipTrunk,
  configureAgentTransfer,
  routeZccFlowToConnector,
  authorizeZoomConnector,
  enableChatHistoryScope,
  enableConversationSummary,
  publishApp,
  verifyChatHistoryAccess,
  placeTestCall,
  verifyConversationSummary,
] as const;

/** Version 2: the test call could open (and its verifier run) before the scopes it reads with were confirmed. */
const CATALOGUE_V2 = [
  verifyKoreAccess,
  verifyZoomAccess,
  associateExperienceFlow,
  createZoomConnector,
  configureSipTrunk,
  configureAgentTransfer,
  routeZccFlowToConnector,
  authorizeZoomConnector,
  enableChatHistoryScope,
  enableConversationSummary,
  publishApp,
  verifyChatHistoryAccess,
  placeTestCallV2,
  verifyConversationSummary,
] as const;

/** Version 1 (runs started before 2026-12-02): Chat History verified before the publish that puts it into effect. */
const CATALOGUE_V1 = [
  verifyKoreAccess,
  verifyZoomAccess,
  associateExperienceFlow,
  createZoomConnector,
  configureSipTrunk,
  configureAgentTransfer,
  routeZccFlowToConnector,
  authorizeZoomConnector,
  enableChatHistoryScopeV1,
  enableConversationSummary,
  publishApp,
  placeTestCallV2,
  verifyConversationSummaryV1,
] as const;

/**
 * Every catalogue a run may follow, by version. A run records the version it started with and
 * keeps that catalogue to its end, so adding or splitting a step never changes an open run: add a
 * new version beside the old one (which stays until no run on it is open).
 */
export const CATALOGUES = { 1: CATALOGUE_V1, 2: CATALOGUE_V2, 3: CATALOGUE_V3, 4: CATALOGUE_V4 } as const satisfies Record<number, readonly StepDefinition[]>;
export type CatalogueVersion = keyof typeof CATALOGUES;
/** The version new runs get. */
export const CURRENT_CATALOGUE_VERSION = 4 satisfies CatalogueVersion;
/** Runs started before catalogues had versions recorded none: they follow the first. */
export const UNVERSIONED_CATALOGUE = 1 satisfies CatalogueVersion;

/**
 * Every step any run may hold, by id: the current catalogue's definition, then those only older
 * catalogues have (a run keeps the catalogue it started with). Built once on first use.
 */
let everyStep: ReadonlyMap<string, StepDefinition> | undefined;
export function stepsOfEveryCatalogue(): ReadonlyMap<string, StepDefinition> {
  if (everyStep) return everyStep;
  const seen = new Map<string, StepDefinition>();
  const versions = [CURRENT_CATALOGUE_VERSION, ...Object.keys(CATALOGUES).map(Number).reverse()] as CatalogueVersion[];
  for (const v of versions) for (const def of CATALOGUES[v] as readonly StepDefinition[]) if (!seen.has(def.id)) seen.set(def.id, def);
  return (everyStep = seen);
}

type AnyCatalogueStep = (typeof CATALOGUES)[CatalogueVersion][number];
export type StepId = AnyCatalogueStep['id'];
export type HumanStepDefinition = Extract<AnyCatalogueStep, { kind: 'human' }>;
export type HumanStepId = HumanStepDefinition['id'];
/** The evidence a human step hands back. */
export type Evidence<S extends HumanStepId> = z.infer<Extract<HumanStepDefinition, { id: S }>['evidence']>;
export type AutoStepId = Extract<AnyCatalogueStep, { kind: 'auto' }>['id'];

/** A dependency that names no step fails to compile here. */
type UnknownDependency = Exclude<AnyCatalogueStep['dependsOn'][number], StepId>;
const dependenciesAreSteps: [UnknownDependency] extends [never] ? true : UnknownDependency = true;
void dependenciesAreSteps;

/** The steps of one catalogue version, in the guide's order. */
export class Catalogue {
  readonly steps: readonly StepDefinition[];
  readonly ids: readonly StepId[];
  readonly #byId: ReadonlyMap<string, StepDefinition>;

  constructor(readonly version: CatalogueVersion) {
    this.steps = CATALOGUES[version];
    this.ids = this.steps.map((s) => s.id as StepId);
    this.#byId = new Map(this.steps.map((s) => [s.id, s]));
  }

  /** The step with this id, or undefined for an id that is not in this catalogue. */
  get(id: string): StepDefinition | undefined {
    return this.#byId.get(id);
  }

  has(id: string): id is StepId {
    return this.#byId.has(id);
  }

  /** Every step that depends on `id`, directly or through others, in catalogue order. */
  dependentsOf(id: string): StepDefinition[] {
    const found = new Set<string>([id]);
    for (let grew = true; grew;) {
      grew = false;
      for (const s of this.steps) if (!found.has(s.id) && s.dependsOn.some((d) => found.has(d))) grew = Boolean(found.add(s.id));
    }
    found.delete(id);
    return this.steps.filter((s) => found.has(s.id));
  }

  /** The steps that declare they read one of these tenant fields (dotted paths), in catalogue order. */
  readersOf(changed: readonly string[]): StepDefinition[] {
    return this.steps.filter((s) => s.reads.tenant.some((f) => changed.some((c) => readsChange(f, c))));
  }
}

const catalogues = new Map<number, Catalogue>();
/** The catalogue of a version; a version this code does not know is refused by name. */
export function catalogue(version: number = CURRENT_CATALOGUE_VERSION): Catalogue {
  let c = catalogues.get(version);
  if (!c) {
    if (!Object.hasOwn(CATALOGUES, version))
      throw new Error(`step catalogue version ${version} is unknown to this code (known: ${Object.keys(CATALOGUES).join(', ')}); deploy the code that has it`);
    catalogues.set(version, (c = new Catalogue(version as CatalogueVersion)));
  }
  return c;
}

/** Today's catalogue: what new runs follow, and what forms and docs describe. */
export const STEPS: readonly StepDefinition[] = CATALOGUES[CURRENT_CATALOGUE_VERSION];
export const STEP_IDS: readonly StepId[] = STEPS.map((s) => s.id as StepId);

export function isStepId(id: string): id is StepId {
  return catalogue().has(id);
}

export { decideMode, wouldAutomate, type ModeDecision } from './modes';
export { PHASES, type Automation, type AutoStep, type HumanStep, type Mismatch, type Phase, type Reads, type Side, type StepDefinition } from './define';
export { evidenceOf, koreBaseUrlOf, type InstructionContext, type TenantField } from './context';
export { experienceFlowName } from './associate-experience-flow';
export { connectorDid, connectorDomain } from './create-zoom-connector';
export { AGENT_TRANSFER_OPTIONS, dialogTaskScript, headerContract } from './configure-agent-transfer';
