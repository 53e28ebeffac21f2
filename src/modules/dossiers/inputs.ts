/** The inputs of the dossier use cases, written once as JSON Schema: the routes validate with it, the services take its type. */
import type { FromSchema } from 'json-schema-to-ts';

export const submitDossierBody = {
  type: 'object',
  additionalProperties: false,
  required: ['procedureCode', 'form'],
  properties: {
    procedureCode: { type: 'string', minLength: 1, maxLength: 40 },
    agencyCode: { type: 'string', minLength: 1, maxLength: 40 },
    variantId: { type: 'string', minLength: 1, maxLength: 20 },
    form: { type: 'object' },
    onBehalfOf: {
      type: 'object',
      description: 'Submitting for another person: their personal identification number and full name, and the power of attorney the caller uploaded (POST /api/v1/files)',
      additionalProperties: false,
      required: ['personalId', 'fullName', 'powerOfAttorneyFileId'],
      properties: {
        personalId: { type: 'string', pattern: '^[0-9]{12}$' },
        fullName: { type: 'string', minLength: 1, maxLength: 100, pattern: '\\S' },
        powerOfAttorneyFileId: { type: 'string', pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' },
      },
    },
  },
} as const;

export type SubmitDossierInput = FromSchema<typeof submitDossierBody>;
/** Submitting for another person, with their power of attorney (giấy ủy quyền) uploaded by the caller. */
export type OnBehalfOf = NonNullable<SubmitDossierInput['onBehalfOf']>;
