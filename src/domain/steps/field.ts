import type { z } from 'zod';

/**
 * What a person reads beside an evidence field, written in the step file next to its schema (the
 * one source): the dashboard's form and the API's step catalogue (GET /api/v1/steps, a JSON Schema
 * per step) take the label, help, example and format from here.
 */
export interface FieldHelp {
  /** The field's name in words (the form's label). */
  label: string;
  /** Where to find the value and what it is for. */
  help: string;
  example?: string;
  /** The shape the value must have, in words. */
  format?: string;
  /** Where the value may already be known, to fill the field in: a tenant field path, or an earlier step's evidence ('step-id.field'). */
  known?: { tenant: string } | { evidence: string };
  /** A phone number: spaces, dashes, dots and parentheses are dropped before it is sent. */
  phone?: boolean;
  /** Words for an enum's values (the form shows a select). */
  options?: Record<string, string>;
}

/**
 * The schema with its help attached as JSON Schema metadata (title, description, examples, and
 * `x-` keys for the rest): parsing is unchanged, so runs and their history are not affected.
 */
export function field<S extends z.ZodType>(schema: S, f: FieldHelp): S {
  return schema.meta({
    title: f.label,
    description: f.help,
    ...(f.example !== undefined ? { examples: [f.example] } : {}),
    ...(f.format !== undefined ? { 'x-format': f.format } : {}),
    ...(f.known ? { 'x-known': f.known } : {}),
    ...(f.phone ? { 'x-normalise': 'phone' } : {}),
    ...(f.options ? { 'x-options': f.options } : {}),
  });
}
