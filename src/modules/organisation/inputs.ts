/** The inputs of the organisation's use cases, written once as JSON Schema: the routes validate with it, the rules take its type. */
import type { FromSchema } from 'json-schema-to-ts';
import { UNIT_KINDS } from './units.ts';

export const unitCode = { type: 'string', minLength: 1, maxLength: 40, pattern: '^[A-Z0-9]{1,3}(\\.[A-Z0-9]{2,3}){3}$' } as const;

export const newUnitBody = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'kind'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 300 },
    nameEn: { type: 'string', minLength: 1, maxLength: 300 },
    kind: { type: 'string', enum: UNIT_KINDS },
    parentCode: unitCode,
    adminUnitCode: { type: 'string', pattern: '^([0-9]{2}|[0-9]{5})$' },
    code: unitCode,
  },
} as const;

/** A unit to add (its code is made from its parent's when not given). */
export type NewUnitInput = FromSchema<typeof newUnitBody>;
