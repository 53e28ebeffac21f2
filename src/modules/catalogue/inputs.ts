/** The inputs of the catalogue's use cases, written once as JSON Schema: the routes validate with it, the rules take its type. */
import type { FromSchema } from 'json-schema-to-ts';

const fee = {
  type: 'object',
  additionalProperties: false,
  required: ['label', 'amountVnd'],
  properties: { label: { type: 'string', minLength: 1, maxLength: 500 }, amountVnd: { type: 'integer', minimum: 0, maximum: 1e12 }, condition: { type: 'string', maxLength: 2000 } },
} as const;

/** How an agency offers a procedure: online level (with the legal reason when partial), a shortened deadline, fees. */
export const offeringBody = {
  type: 'object',
  additionalProperties: false,
  required: ['onlineLevel'],
  properties: {
    onlineLevel: { type: 'string', enum: ['full', 'partial'] },
    onlineLevelReason: { type: 'string', minLength: 1, maxLength: 2000 },
    processingDays: { type: 'integer', minimum: 1, maximum: 3650 },
    fees: { type: 'array', maxItems: 50, items: fee },
    active: { type: 'boolean' },
  },
} as const;

export type OfferingInput = FromSchema<typeof offeringBody>;
