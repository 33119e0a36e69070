import fs from 'node:fs';
import path from 'node:path';
import { bareValue, copyValues } from '../../src/api/dashboard/copy-values';
import { CATALOGUES, type InstructionContext, type StepDefinition } from '../../src/domain/steps';
import { KORE_REGIONS } from '../../src/domain/kore-regions';
import { parseTenantFile, publicTenant } from '../../src/domain/tenant';

/**
 * The dashboard's Copy buttons (issue 19): run over every instruction line of every step, in every
 * catalogue, for both agent-transfer options, before and after the connector's values are known,
 * each button copies exactly a value the person pastes (no bracket, quote or full stop of the
 * sentence around it) and is named by what it is in a few words.
 */
const example = parseTenantFile(JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'tenant.example.json'), 'utf8')));
const tenant = publicTenant(example);
const connector = { connectorName: 'Acme voice', domain: 'a1b2c3.kore-connector.zoomcc.example.com', did: '+14155550101' };
const later = { 'create-zoom-connector': connector, 'associate-experience-flow': { experienceFlowName: 'Acme voice support' } };

function everyLine(): string[] {
  const lines = new Set<string>();
  for (const option of ['agent-transfer-node', 'dialog-task'] as const)
    for (const evidence of [{}, later])
      for (const steps of Object.values(CATALOGUES) as Array<readonly StepDefinition[]>)
        for (const s of steps) {
          const ctx: InstructionContext = { tenant: { ...tenant, agentTransfer: { ...tenant.agentTransfer, option } }, evidence };
          for (const l of [...s.instructions(ctx), ...(s.kind === 'human' && s.automation ? s.automation.instructions(ctx) : [])])
            if (!l.startsWith('    ')) lines.add(l);
        }
  return [...lines];
}

describe("the instructions' Copy buttons", () => {
  const lines = everyLine();
  const found = lines.flatMap((line) => copyValues(line).map((v) => ({ line, ...v })));

  it('copy each value alone: no surrounding punctuation, quote, bracket or space', () => {
    expect(found.length).toBeGreaterThan(5);
    for (const f of found) {
      expect({ line: f.line, value: f.value }).toEqual({ line: f.line, value: expect.stringMatching(/^[^\s)("'.,;:][^\s"']*[^\s)("'.,;:]$/) });
    }
  });

  it('copy only values the run knows, and every one of them somewhere', () => {
    const known = {
      'Base URL': KORE_REGIONS[tenant.kore.region].baseUrl,
      'Bot ID': tenant.kore.botId,
      'Client ID': tenant.kore.clientId,
      'Domain Name': connector.domain,
      DID: connector.did,
      'transfer target': tenant.agentTransfer.target,
    };
    for (const f of found) expect([f.line, f.kind, f.value]).toEqual([f.line, f.kind, known[f.kind as keyof typeof known]]);
    expect(new Set(found.map((f) => f.kind))).toEqual(new Set(Object.keys(known)));
  });

  it('are named "Copy <what>" in at most four words', () => {
    for (const f of found) expect(`Copy ${f.kind}`.split(' ').length).toBeLessThanOrEqual(4);
  });

  it('find both IDs of the connector line, the DID in brackets, and nothing in a sentence that only names a field', () => {
    const auth = lines.find((l) => l.startsWith('Authorization Parameters:'))!;
    expect(copyValues(auth)).toEqual([
      { kind: 'Bot ID', value: tenant.kore.botId },
      { kind: 'Client ID', value: tenant.kore.clientId },
    ]);
    const route = lines.find((l) => l.includes(`(DID ${connector.did})`))!;
    expect(copyValues(route)).toEqual([{ kind: 'DID', value: connector.did }]);
    expect(copyValues('Copy the Domain Name and the DID Number from the connector page and enter them below, with the connector name.')).toEqual([]);
    // Before the connector step: a placeholder, nothing to copy.
    expect(copyValues('DID Number: <the connector DID from step create-zoom-connector>')).toEqual([]);
  });

  it('takes brackets, quotes and sentence ends off a value', () => {
    expect(bareValue('+14155550101)')).toBe('+14155550101');
    expect(bareValue('(+14155550101);')).toBe('+14155550101');
    expect(bareValue('"https://platform.kore.ai".')).toBe('https://platform.kore.ai');
    expect(bareValue('st-acme-1,')).toBe('st-acme-1');
  });
});
