/**
 * Who a dossier may be assigned to: an active specialist of the unit holding it now (a
 * grant or delegation of `specialist` in force, the person active staff, the unit active).
 * Takes part in every action with the workflow effect `assign` (registered from the
 * composition root): the caller is shown the unit's specialists as the choices of
 * `assignee` in `allowedActions`, and anyone else is refused (422 naming `/input/assignee`).
 */
import type { Queryable } from '../../db/database.ts';
import type { FieldError } from '../../shared/errors.ts';
import type { ActionParticipant } from '../dossiers/index.ts';
import type { JsonSchema } from '../workflow/index.ts';
import { holdersOfRole } from './store.ts';

const FIELD = 'assignee';

export function assigneeParticipant(): ActionParticipant {
  const specialists = (q: Queryable, unitCode: string, at: Date) => holdersOfRole(q, unitCode, 'specialist', at);
  return {
    async describe(q, ctx, input) {
      const props = (input as { properties?: Record<string, JsonSchema> }).properties;
      const field = props?.[FIELD];
      if (props === undefined || field === undefined) return input;
      const people = await specialists(q, ctx.dossier.currentAgencyCode, ctx.at);
      const choices: JsonSchema =
        people.length > 0
          ? { ...field, oneOf: people.map((s) => ({ const: s.sub, title: s.name })) }
          : { ...field, not: {} };
      // Where the choices come from, for readers of the schema: they change as the organisation does.
      const from = `organisation: the active specialists of unit ${ctx.dossier.currentAgencyCode} now${people.length === 0 ? ' (none: grant the role first)' : ''}`;
      return { ...input, properties: { ...props, [FIELD]: { ...choices, 'x-choices-from': from } } };
    },

    async check(q, ctx): Promise<FieldError[]> {
      const assignee = ctx.input[FIELD];
      if (typeof assignee !== 'string') return [];
      const people = await specialists(q, ctx.dossier.currentAgencyCode, ctx.at);
      if (people.some((s) => s.sub === assignee)) return [];
      return [
        {
          field: `/${FIELD}`,
          code: 'not_a_specialist_of_unit',
          message: {
            vi: `Người được phân công phải là chuyên viên đang làm việc tại đơn vị ${ctx.dossier.currentAgencyCode}`,
            en: `The assignee must be an active specialist of unit ${ctx.dossier.currentAgencyCode}`,
          },
        },
      ];
    },
  };
}
