import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { AutoResult, StepActivityInput } from '../src/domain/activity-contract';
import type { ImportJob } from '../src/integrations/kore/schemas';
import type { TenantClients } from './clients';
import { translated } from './failures';
import { attemptDeadline, pollUntil, type PollOptions } from './jobs';
import { beat } from './heartbeat';

/**
 * Where an attempt got to, sent as its heartbeat detail: a retried attempt (Temporal hands it the
 * last one) resumes from here instead of exporting the backup or importing again.
 */
interface Checkpoint {
  targetBotId: string;
  goldenBotId: string;
  /** The target's full export made before anything changed (its signed link and file id). */
  /** The backup export's ids only: its download URL is signed (anyone holding it can fetch the bot), so it never leaves the activity. */
  backup?: { exportId: string; fileId?: string };
  /** The golden bot's genAIandLLMSettings and the uploaded files the import reads. */
  golden?: { settings: unknown; files: { botDefinition: string; configInfo: string } };
  /** Set just before the import is asked for: with no importId, the answer may have been lost. */
  importRequestedAt?: string;
  importId?: string;
  progress?: unknown;
}

interface BotFileJson {
  botDefinition?: unknown;
  configInfo?: { settings?: { genAIandLLMSettings?: unknown } };
}

const GENAI_ONLY = { settings: ['genAIandLLMSettings'], tasks: [], nlpData: [] };
/** Kore.ai documents `success`; anything that says it failed ends the wait too. */
const finished = (status: string) => status === 'success' || /fail|error|cancel/i.test(status);

/** Key order does not make two settings differ. */
const canonical = (v: unknown): string =>
  JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : x,
  );

export interface ImportGenAiOptions {
  poll?: PollOptions;
  /** How long a retry waits for an import whose answer was lost to show in the target's export before asking again. */
  lostImportGraceMs?: number;
}

/**
 * enable-conversation-summary, automatically: the golden bot's GenAI and LLM settings (XO GPT,
 * Conversation Summary) imported into the tenant's bot with the Admin Console app, as
 * kore-api-more.md 3-4 allow. Kore.ai documents that such an import replaces every feature mapping
 * and that a default import brings everything, so: the target is exported first (the backup, kept
 * in the result), the golden bot's genAIandLLMSettings only are exported and uploaded, the import
 * names every option list (all empty but `settings`), its status is polled with heartbeats, and the
 * target's own export must then carry the golden settings.
 *
 * Importing is not idempotent, so each stage is a heartbeat checkpoint: a retry with an import id
 * polls that import; one whose import answer was lost waits (a bounded time) for the golden settings
 * to show in the target's export before asking Kore.ai again.
 */
export function importGenAiSettings(clients: TenantClients, opts: ImportGenAiOptions = {}) {
  return ({ tenant }: StepActivityInput): Promise<AutoResult> =>
    translated(async () => {
      const deadline = attemptDeadline();
      const ctx = Context.current();
      const targetBotId = tenant.kore.botId;
      const goldenBotId = tenant.kore.goldenBotId;
      if (!goldenBotId)
        throw ApplicationFailure.create({
          type: 'InvalidRequest',
          nonRetryable: true,
          message: 'the tenant file names no golden bot (kore.goldenBotId) to copy the GenAI settings from',
        });
      if (goldenBotId === targetBotId)
        throw ApplicationFailure.create({
          type: 'InvalidRequest',
          nonRetryable: true,
          message: `the golden bot (kore.goldenBotId) is the tenant's own bot ${targetBotId}; name another bot whose GenAI settings it should copy`,
        });
      const kore = await clients.kore(tenant, 'admin');
      const previous = ctx.info.heartbeatDetails as Checkpoint | undefined;
      const state: Checkpoint =
        previous?.targetBotId === targetBotId && previous.goldenBotId === goldenBotId ? { ...previous, progress: undefined } : { targetBotId, goldenBotId };
      // What a heartbeat carries: the checkpoint so far (a poll's progress rides along, never in place of it).
      const snapshot = (progress?: unknown): Checkpoint => ({ ...state, progress });
      const checkpoint = () => beat(snapshot());

      // An export's file once Kore.ai has made it; a job still running at the deadline is retried (the checkpoint stays).
      const exported = async (botId: string, what: string, exportOptions?: typeof GENAI_ONLY) => {
        const job = await kore.exportBot(botId, { exportType: 'latest', exportOptions });
        const { value, done } = await pollUntil(
          () => kore.getExportStatus(botId),
          (s) => finished(s.status),
          (s) => snapshot({ exporting: what, status: s.status }),
          deadline,
          opts.poll,
        );
        if (!done) throw ApplicationFailure.retryable(`the export of ${what} (${botId}) is still running at Kore.ai`, 'ExportInProgress');
        if (value.status !== 'success' || !value.downloadURL)
          throw ApplicationFailure.create({
            type: 'ExportFailed',
            nonRetryable: true,
            message: `Kore.ai could not export ${what} (${botId}): export status ${value.status}`,
          });
        return { exportId: job._id, downloadURL: value.downloadURL, fileId: value.fileId };
      };
      const settingsOf = async (botId: string, what: string) => {
        const e = await exported(botId, what, GENAI_ONLY);
        return { file: (await kore.downloadExport(e.downloadURL)) as BotFileJson, exportId: e.exportId };
      };
      const goldenSettings = () => canonical(state.golden?.settings);
      const targetMatches = async () =>
        canonical((await settingsOf(targetBotId, 'the target bot')).file.configInfo?.settings?.genAIandLLMSettings) === goldenSettings();

      if (!state.backup) {
        const { exportId, fileId } = await exported(targetBotId, 'the target bot (backup)');
        state.backup = { exportId, ...(fileId ? { fileId } : {}) };
        checkpoint();
      }
      if (!state.golden) {
        const { file } = await settingsOf(goldenBotId, 'the golden bot');
        const files = {
          botDefinition: (
            await kore.uploadFile(JSON.stringify(file.botDefinition === undefined ? {} : { botDefinition: file.botDefinition }), 'botDefinition.json')
          ).fileId,
          configInfo: (await kore.uploadFile(JSON.stringify({ configInfo: file.configInfo ?? {} }), 'config.json')).fileId,
        };
        state.golden = { settings: file.configInfo?.settings?.genAIandLLMSettings, files };
        checkpoint();
      }

      let lostAnswer = false;
      // Checked before any import is asked for: heartbeats are throttled, so a worker that died just
      // after asking may have left no checkpoint; a target that already carries the settings needs none.
      const already = !state.importId && !state.importRequestedAt && (await targetMatches());
      if (already) lostAnswer = true;
      else if (state.importRequestedAt && !state.importId) {
        // The last attempt asked for the import and never heard back: Kore.ai may well have done it.
        const until = Math.min(deadline, Date.now() + (opts.lostImportGraceMs ?? 120_000));
        const { done } = await pollUntil(
          targetMatches,
          (m) => m,
          (m) => snapshot({ waitingForLostImport: true, matches: m }),
          until,
          opts.poll,
        );
        lostAnswer = done;
      }
      let job: ImportJob | undefined;
      if (!lostAnswer) {
        if (!state.importId) {
          state.importRequestedAt = new Date().toISOString();
          checkpoint();
          const started = await kore.importBot(targetBotId, state.golden.files, { ...GENAI_ONLY, AgentAssist: [], qualityAI: [] });
          state.importId = started._id;
          checkpoint();
        }
        const importId = state.importId;
        const polled = await pollUntil(
          () => kore.getImportStatus(importId),
          (s) => finished(s.status),
          (s) => snapshot({ importStatus: s.status }),
          deadline,
          opts.poll,
        );
        if (!polled.done) throw ApplicationFailure.retryable(`the import ${importId} is still running at Kore.ai`, 'ImportInProgress');
        job = polled.value;
        if (job.status !== 'success') {
          const failed = (job.statusLogs ?? []).filter((l) => l.status !== 'success').map((l) => `${l.taskType ?? l.taskName ?? '?'}: ${l.status ?? '?'}`);
          throw ApplicationFailure.create({
            type: 'ImportFailed',
            nonRetryable: true,
            message: `Kore.ai reports the import ${importId} of the golden bot's GenAI settings ${job.status}${failed.length ? ` (${failed.join('; ')})` : ''}; the target bot's backup export is ${state.backup.fileId ?? state.backup.exportId}`,
            details: [{ vendor: 'kore', importId, statusLogs: job.statusLogs, backup: state.backup }],
          });
        }
        if (!(await targetMatches()))
          throw ApplicationFailure.create({
            type: 'ImportNotApplied',
            nonRetryable: true,
            message: `Kore.ai reports the import ${importId} succeeded, but the target bot's export does not carry the golden bot's GenAI and LLM settings; check Generative AI > GenAI Features on ${targetBotId}`,
            details: [{ vendor: 'kore', importId, backup: state.backup }],
          });
      }
      return {
        status: 'done',
        result: {
          importId: state.importId ?? null,
          importStatus: job?.status ?? 'success',
          ...(already
            ? { note: "the target's export already carries the golden bot's GenAI settings, so no import was asked for" }
            : lostAnswer
              ? { note: "the import's answer was lost; the target's export carries the golden settings, so it was not asked for again" }
              : {}),
          backup: state.backup,
          goldenBotId,
          verified: "the target bot's export carries the golden bot's genAIandLLMSettings",
        },
      };
    });
}
