/** The admin client's plumbing: routes with encoded values, and the simulators' error messages on one line. */

/** `/__sim/apps/${id}` with each value URL-encoded, and the same path readable for error messages. */
export function route(parts: TemplateStringsArray, ...values: string[]): { url: string; shown: string } {
  let url = parts[0]!;
  let shown = parts[0]!;
  values.forEach((v, i) => {
    url += encodeURIComponent(v) + parts[i + 1]!;
    shown += v + parts[i + 1]!;
  });
  return { url, shown };
}

/** The simulators answer `{error}` (admin), `{message}` (Fastify, Zoom) or `{errors:[{msg}]}` (Kore). */
export function messageOf(data: unknown): string {
  if (typeof data === 'string') return data;
  const d = data as { error?: unknown; message?: unknown; errors?: Array<{ msg?: unknown }> } | null;
  const m = d?.error ?? d?.message ?? d?.errors?.[0]?.msg;
  return typeof m === 'string' ? m : JSON.stringify(data);
}

export const oneLine = (s: string) => {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > 300 ? `${flat.slice(0, 297)}...` : flat;
};
