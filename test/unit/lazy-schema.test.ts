import { z } from 'zod';
import { builtSchema, lazySchema } from '../../src/domain/lazy-schema';
import { Progress, StepProgress } from '../../workflows/contract';

/** src/domain/lazy-schema.ts: a schema built on first use must be indistinguishable from the schema. */
describe('lazySchema', () => {
  it('is not built until something reads it, then once', () => {
    let built = 0;
    const Name = lazySchema(() => {
      built += 1;
      return z.object({ name: z.string().min(1, 'is required') });
    });
    expect(built).toBe(0);
    expect(Name.parse({ name: 'pat' })).toEqual({ name: 'pat' });
    expect(Name.safeParse({ name: '' }).error?.issues[0]?.message).toBe('is required');
    expect(built).toBe(1);
  });

  it('composes like the schema itself: inside objects and arrays, extended, picked, optional', () => {
    const Inner = lazySchema(() => z.object({ id: z.string(), n: z.number().int() }));
    const Outer = lazySchema(() => z.object({ items: z.array(Inner), first: Inner.optional() }));
    const Wider = Inner.extend({ note: z.string() }).pick({ id: true, note: true });
    expect(Outer.parse({ items: [{ id: 'a', n: 1 }] })).toEqual({ items: [{ id: 'a', n: 1 }] });
    expect(Outer.safeParse({ items: [{ id: 'a', n: 1.5 }] }).error?.issues[0]?.path).toEqual(['items', 0, 'n']);
    expect(Wider.parse({ id: 'a', note: 'x', n: 2 })).toEqual({ id: 'a', note: 'x' });
    expect(Inner instanceof z.ZodObject).toBe(true);
    expect(Object.keys(Inner.shape)).toEqual(['id', 'n']);
  });

  it('keeps its metadata for JSON Schema and .description', () => {
    const Described = lazySchema(() => z.string().describe('a tenant id'));
    const Meta = lazySchema(() => z.object({ a: z.string() }).meta({ title: 'A thing' }));
    expect(Described.description).toBe('a tenant id');
    expect(z.toJSONSchema(z.object({ id: Described }))).toMatchObject({ properties: { id: { type: 'string', description: 'a tenant id' } } });
    expect(z.toJSONSchema(Meta)).toMatchObject({ title: 'A thing', type: 'object' });
  });

  it('stands in for the contract schemas the workflow no longer builds at load', () => {
    const step = StepProgress.safeParse({});
    expect(step.success).toBe(false);
    expect(builtSchema(Progress)).not.toBe(Progress);
    expect(builtSchema(builtSchema(Progress))).toBe(builtSchema(Progress));
    expect(builtSchema(Progress).shape.steps).toBeDefined();
  });
});
