/**
 * Route inputs typed from their JSON Schemas: Ajv validates params, query and body against
 * the schema before the handler runs, and json-schema-to-ts gives the handler the type that
 * schema describes, so an input is written once (the schema) and never cast. Replies stay
 * as handlers build them (the response schemas only shape the OpenAPI description).
 */
import type { FastifyInstance, FastifyTypeProvider } from 'fastify';
import type { FromSchema, JSONSchema } from 'json-schema-to-ts';

export interface SchemaInputs extends FastifyTypeProvider {
  validator: this['schema'] extends JSONSchema ? FromSchema<this['schema']> : unknown;
  serializer: unknown;
}

/** The same Fastify instance, its routes' inputs typed from their schemas. */
export const typed = (app: FastifyInstance) => app.withTypeProvider<SchemaInputs>();

/** The type a schema describes (for a service's input written once, as its schema). */
export type Input<S> = S extends JSONSchema ? FromSchema<S> : never;
