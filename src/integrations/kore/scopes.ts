/**
 * Kore.ai API scopes by the names people tick in Dev Tools > API Scopes (bot apps) or the Admin
 * Console (admin apps). Kore never names the missing scope in its error, so each endpoint records
 * here which one it needs, and the error says it. The simulator enforces the same table.
 */
export const KORE_SCOPES = {
  chatHistory: 'Chat History',
  botSessions: 'Bot Sessions',
  conversationSummary: 'Conversation Summary',
  botPublish: 'Bot Publish',
  /** "Bot Definition > Bot Export" (kore-api-more.md 1): a bot app may hold it. */
  botExport: 'Bot Export',
  /** "Bot Definition > Bot Import": Admin Console apps only. */
  botImport: 'Bot Import',
  roleManagement: 'Role Management',
} as const;

export type KoreScope = (typeof KORE_SCOPES)[keyof typeof KORE_SCOPES];

/** Scopes only an Admin Console app can hold. */
export const KORE_ADMIN_SCOPES: ReadonlySet<KoreScope> = new Set([KORE_SCOPES.botPublish, KORE_SCOPES.roleManagement, KORE_SCOPES.botImport]);
