import {
  buildRecord,
  escapeMarkdown,
  formatDuration,
  renderHtml,
  renderMarkdown,
  renderRecord,
  SignOffRecord,
  type Progress,
  type StepProgress,
} from '../../src/app';

/** A fabricated run: two access checks, a Kore-side and a Zoom-side person, a verified test call, a reopen, an amendment. */
const T0 = Date.parse('2026-03-02T09:00:00.000Z');
const at = (s: number) => new Date(T0 + s * 1000).toISOString();

function step(over: Partial<StepProgress> & Pick<StepProgress, 'id' | 'side' | 'kind' | 'state'>): StepProgress {
  return {
    title: `Title of ${over.id}`,
    phase: 'Setup',
    skippable: false,
    dependsOn: [],
    waitingFor: [],
    instructions: [],
    evidenceFields: [],
    attempts: 1,
    reminders: 0,
    escalated: false,
    versions: [],
    ...over,
  };
}

const XSS = '<script>alert("x")</script> | *bold* [link](http://evil.example) & `code`';

function progress(over: Partial<Progress> = {}): Progress {
  return {
    tenantId: 'acme-demo',
    displayName: 'Acme <Demo> & Co',
    status: 'completed',
    percent: 100,
    audit: { count: 0, tail: [] },
    startedAt: at(0),
    updatedAt: at(4000),
    endedAt: at(4000),
    tenant: {
      tenantId: 'acme-demo',
      displayName: 'Acme <Demo> & Co',
      kore: { region: 'us', botId: 'st-acme', clientId: 'cs-acme', smartAssistLegacy: false },
      zoom: { accountId: 'acc-1', clientId: 'zc-1' },
      agentTransfer: { option: 'agent-transfer-node', target: '+14155550123', sipHeaders: { 'X-Queue': 'billing' } },
      contacts: { owner: 'owner@acme.example', notifyWebhookUrl: 'https://hooks.example/[redacted]' },
      reminders: { firstAfter: '4h', every: '1d', escalateAfter: '2d' },
    },
    steps: [
      step({
        id: 'verify-kore-access',
        side: 'kore',
        kind: 'auto',
        state: 'done',
        startedAt: at(0),
        completedAt: at(2),
        completedBy: 'kore-zcc-onboarding',
        result: { botId: 'st-acme', recentSessions: 3 },
      }),
      step({
        id: 'associate-experience-flow',
        side: 'kore',
        kind: 'human',
        state: 'done',
        openedAt: at(600),
        claimedAt: at(700),
        completedAt: at(700),
        completedBy: 'dana@acme.example',
        evidence: { experienceFlowName: XSS },
        reopened: { at: at(500), by: 'sam@acme.example', reason: 'wrong <flow> named', origin: 'associate-experience-flow' },
        previous: { evidence: { experienceFlowName: 'Old flow' }, completedBy: 'dana@acme.example', completedAt: at(300), openedAt: at(100) },
      }),
      step({
        id: 'route-zcc-flow-to-connector',
        side: 'zoom',
        kind: 'human',
        state: 'done',
        openedAt: at(100),
        claimedAt: at(1000),
        completedAt: at(1002),
        completedBy: 'sam@acme.example',
        evidence: { flowName: 'Main IVR', apiToken: '[redacted]' },
        result: { flowId: 'flow_123', entryNumbers: ['+14155550100'] },
      }),
      step({
        id: 'place-test-call',
        side: 'zoom',
        kind: 'human',
        state: 'done',
        openedAt: at(1100),
        completedAt: at(1300),
        completedBy: 'pat@acme.example',
        evidence: {},
        result: { sessionId: 'sess-42', engagementId: 'eng-7', flowId: 'flow_123', transferredToAgent: true },
      }),
      step({
        id: 'verify-conversation-summary',
        side: 'kore',
        kind: 'auto',
        state: 'done',
        startedAt: at(1300),
        completedAt: at(4000),
        completedBy: 'kore-zcc-onboarding',
        result: { sessionId: 'sess-42', summaryExcerpt: 'Caller asked for billing; the bot handed over.', engagementId: 'eng-7' },
      }),
    ],
    rejections: [],
    amendments: [{ at: at(400), by: 'sam@acme.example', reason: 'customer <asked>', fields: ['agentTransfer.option'], reopened: ['configure-agent-transfer'] }],
    ...over,
  };
}

/** What a Markdown reader shows of text: CommonMark's backslash escapes undone. */
const mdText = (md: string) => md.replace(/\\([!-/:-@[-`{-~])/g, '$1');

describe('the sign-off record', () => {
  const record = buildRecord(progress(), { generatedAt: new Date(at(5000)) });

  it('is the schema-valid record of the run: steps with who/when/duration, verifications, reopens, amendments, per-side durations', () => {
    expect(SignOffRecord.parse(JSON.parse(JSON.stringify(record)))).toEqual(record);
    expect(record.run).toEqual({ status: 'completed', percent: 100, startedAt: at(0), endedAt: at(4000), durationMs: 4_000_000 });
    expect(record.tenant.details?.contacts.notifyWebhookUrl).toBe('https://hooks.example/[redacted]');
    const byId = Object.fromEntries(record.steps.map((s) => [s.id, s]));
    expect(byId['verify-kore-access']).toMatchObject({ side: 'automatic', by: 'kore-zcc-onboarding', at: at(2), durationMs: 2000 });
    expect(byId['route-zcc-flow-to-connector']).toMatchObject({ side: 'zoom', handedInAt: at(1000), at: at(1002), durationMs: 902_000 });
    expect(byId['place-test-call']!.evidence).toBeUndefined();
    expect(record.verifications.map((v) => v.stepId)).toEqual([
      'verify-kore-access',
      'route-zcc-flow-to-connector',
      'place-test-call',
      'verify-conversation-summary',
    ]);
    expect(record.verifications[2]!.answers).toEqual({ sessionId: 'sess-42', engagementId: 'eng-7', flowId: 'flow_123', transferredToAgent: true });
    expect(record.reopens).toEqual([
      {
        stepId: 'associate-experience-flow',
        at: at(500),
        by: 'sam@acme.example',
        reason: 'wrong <flow> named',
        origin: 'associate-experience-flow',
        before: { by: 'dana@acme.example', at: at(300), durationMs: 200_000, evidence: { experienceFlowName: 'Old flow' } },
      },
    ]);
    expect(record.amendments).toHaveLength(1);
    const sides = Object.fromEntries(record.durations.map((d) => [d.side, d]));
    // Kore people: one step of 100 s; Zoom people: 902 s + 200 s, spanning 100 s .. 1300 s; automatic: 2 s + 2700 s.
    expect(sides.kore).toMatchObject({ steps: 1, finished: 1, workMs: 100_000, spanMs: 100_000 });
    expect(sides.zoom).toMatchObject({ steps: 2, finished: 2, workMs: 1_102_000, spanMs: 1_200_000, firstOpenedAt: at(100), lastFinishedAt: at(1300) });
    expect(sides.automatic).toMatchObject({ steps: 2, finished: 2, workMs: 2_702_000, spanMs: 4_000_000 });
  });

  it('a running run has no end, and open steps no who, when or duration', () => {
    const p = progress({ status: 'waiting-for-human', endedAt: undefined, percent: 60 });
    p.steps[3] = step({ id: 'place-test-call', side: 'zoom', kind: 'human', state: 'open', openedAt: at(1100) });
    const r = buildRecord(p);
    expect(r.run.endedAt).toBeUndefined();
    expect(r.run.durationMs).toBeUndefined();
    expect(r.steps[3]).toMatchObject({ state: 'open', openedAt: at(1100) });
    expect(r.steps[3]!.by).toBeUndefined();
    expect(r.durations.find((d) => d.side === 'zoom')).toMatchObject({ steps: 2, finished: 1, spanMs: undefined });
    expect(renderMarkdown(r)).toContain('not ended');
  });

  it('Markdown: every step, every vendor answer, the reopen and the amendment; whatever a person typed stays text', () => {
    const md = renderMarkdown(record);
    const shown = mdText(md);
    for (const s of record.steps) {
      const row = shown.split('\n').find((l) => l.startsWith(`| ${s.id} |`));
      expect(row).toContain(` ${s.state} `);
      expect(row).toContain(s.by!);
      expect(row).toContain(s.at!);
    }
    for (const v of [
      'sess-42',
      'eng-7',
      'flow_123',
      'Caller asked for billing; the bot handed over.',
      'wrong <flow> named',
      'customer <asked>',
      'agentTransfer.option',
    ])
      expect(shown).toContain(v);
    expect(shown).toContain(XSS);
    // The raw Markdown has no tag, link, emphasis or cell break a renderer would act on.
    expect(md).not.toMatch(/(^|[^\\])(<script|<Demo|\[link|\*bold|&)/m);
    expect(md).toContain(escapeMarkdown(XSS));
    expect(escapeMarkdown('a|b\nc')).toBe('a\\|b c');
    // Evidence is as progress redacts it.
    expect(shown).toContain('| route-zcc-flow-to-connector | apiToken | [redacted] |');
  });

  it('HTML: self-contained, printable, and everything escaped', () => {
    const html = renderHtml(record);
    expect(html).not.toContain('<script');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).toContain('Acme &lt;Demo&gt; &amp; Co');
    expect(html.slice(html.indexOf('@media print'))).toContain('section { break-before: page; }');
    expect(html).not.toMatch(/<nav|<link|src=|href=/);
    for (const s of record.steps) expect(html).toContain(`<td class="nowrap">${s.id}</td>`);
    for (const v of ['sess-42', 'eng-7', 'flow_123', 'Caller asked for billing; the bot handed over.']) expect(html).toContain(v);
  });

  it('renders each format with its content type', () => {
    expect(renderRecord(record, 'json')).toEqual({ body: `${JSON.stringify(record, null, 2)}\n`, contentType: 'application/json; charset=utf-8' });
    expect(renderRecord(record, 'md').contentType).toBe('text/markdown; charset=utf-8');
    expect(renderRecord(record, 'html').contentType).toBe('text/html; charset=utf-8');
  });

  it('formats durations to what a person signs', () => {
    expect([undefined, 3200, 245_000, 7_380_000, 273_600_000].map(formatDuration)).toEqual(['-', '3.2 s', '4m 05s', '2h 03m', '3d 04h']);
  });
});
