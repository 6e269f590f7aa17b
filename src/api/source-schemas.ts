import { z } from '@hono/zod-openapi';
import type { Connector } from '../connectors/connector.types.js';
import { SOURCE_TYPES, type SourceType } from '../domain/items/item.types.js';
import { SourceCommonFields } from '../domain/sources/sources.config.js';

// The request bodies of POST and PATCH /v1/sources as /openapi.json describes them: one schema per
// source type, built from the connector's own config and credentials schemas and the domain's
// common fields, so the documentation cannot drift from what the domain validates. They are
// documentation only: the domain (parseFields) validates every body, with its own messages.

/** What `.openapi(name, metadata)` takes: raw OpenAPI fields. */
type OpenApiMetadata = NonNullable<Parameters<z.ZodType['openapi']>[1]>;

const NAMES: Record<SourceType, string> = {
  rss: 'Rss',
  hackernews: 'HackerNews',
  reddit: 'Reddit',
  mastodon: 'Mastodon',
  bluesky: 'Bluesky',
  googlenews: 'GoogleNews',
  youtube: 'YouTube',
};

/** A connector's config as the object it is (a refined object is still one: its checks are the domain's). */
export function configShape(connector: Connector<any>): Record<string, z.ZodType> {
  if (!(connector.config instanceof z.ZodObject)) throw new Error(`the ${connector.type} config schema is not an object`);
  return connector.config.shape as Record<string, z.ZodType>;
}

/** The fields a PATCH of a source of this type takes, its own first: what an empty PATCH is told to give. */
export function patchableFields(connector: Connector<any>): string[] {
  return [...Object.keys(configShape(connector)), 'intervalSeconds', 'enabled', ...(connector.credentials ? ['credentials'] : [])];
}

/** Whether a field may be left out of a new source (optional, or with a default). */
const omittable = (field: z.ZodType) => field.safeParse(undefined).success;

/** `intervalSeconds` and `enabled`; a new source's defaults, which a PATCH does not have. */
function commonFields(connector: Connector<any>, creating: boolean) {
  const minInterval = connector.minIntervalSeconds ?? 60;
  return {
    intervalSeconds: SourceCommonFields.shape.intervalSeconds
      .min(minInterval)
      .optional()
      .openapi({
        description: creating
          ? `Seconds between polls: at least ${minInterval}, at most a week; default 900.`
          : `Seconds between polls: at least ${minInterval}, at most a week. A new interval moves a healthy source's next poll to its last poll plus the new interval, sooner or later.`,
        ...(creating ? { default: 900 } : {}),
      }),
    enabled: SourceCommonFields.shape.enabled
      .optional()
      .openapi({ description: `Whether Earshot polls it${creating ? '; default true' : ''}.`, ...(creating ? { default: true } : {}) }),
  };
}

function createSchema(connector: Connector<any>) {
  return z
    .strictObject({
      type: z.literal(connector.type),
      ...configShape(connector),
      ...commonFields(connector, true),
      ...(connector.credentials ? { credentials: connector.credentials.optional() } : {}),
    })
    .openapi(`Create${NAMES[connector.type]}Source`, { ...connector.config.meta() });
}

function updateSchema(connector: Connector<any>) {
  // A merge patch: any of the type's fields; `null` removes one that may be left out.
  const own = Object.fromEntries(
    Object.entries(configShape(connector)).map(([name, field]) => [name, omittable(field) ? field.nullable().optional() : field.optional()]),
  );
  return z
    .strictObject({
      type: z.literal(connector.type).optional().openapi({ description: "The source's type, which cannot change: if given, it must be the stored one." }),
      ...own,
      ...commonFields(connector, false),
      ...(connector.credentials
        ? { credentials: connector.credentials.nullable().optional().openapi({ description: 'Replaces the stored credentials; `null` removes them.' }) }
        : {}),
    })
    .openapi(`Update${NAMES[connector.type]}Source`);
}

/** The connectors in the order of SOURCE_TYPES: a zod union needs at least one member. */
function ordered(connectors: Partial<Record<SourceType, Connector<any>>>) {
  const list = SOURCE_TYPES.flatMap((type) => (connectors[type] ? [connectors[type]] : []));
  if (list.length === 0) throw new Error('no connectors');
  return list as [Connector<any>, ...Connector<any>[]];
}

const TYPES_TEXT =
  'One schema per source type, chosen by `type`; a type takes only its own fields and the common ones (`intervalSeconds`, `enabled`, ' +
  'and `credentials` for the types that take any): unknown fields are refused. Surrounding whitespace is never part of a field. ' +
  'See docs/sources.md.';

export function sourceBodySchemas(connectors: Partial<Record<SourceType, Connector<any>>>, updateDescription: string) {
  const list = ordered(connectors);
  const [first, ...rest] = list.map(createSchema);
  const create = z.discriminatedUnion('type', [first!, ...rest]).openapi('CreateSource', {
    description: TYPES_TEXT,
    example: { type: 'rss', url: 'https://example.com/feed.xml', intervalSeconds: 900 },
  });
  const [firstPatch, ...restPatch] = list.map(updateSchema);
  // Any of: `type` is optional in a PATCH (the stored one), so it cannot discriminate, and
  // `{"enabled": false}` fits every type. The fields every type takes are also listed on the
  // union itself, for readers that show only its top level.
  const common = z.toJSONSchema(z.object({ intervalSeconds: SourceCommonFields.shape.intervalSeconds, enabled: SourceCommonFields.shape.enabled }), {
    io: 'input',
    target: 'draft-2020-12',
  });
  const update = z.union([firstPatch!, ...restPatch]).openapi('UpdateSource', {
    description: `${updateDescription} The fields of the source's own type, as below (its \`type\` cannot change).`,
    properties: common.properties as OpenApiMetadata['properties'],
  });
  return { create, update };
}

/**
 * What GET, POST and PATCH /v1/sources answer: the fields every source has (`common`) and beside
 * them its type's own, as the type's config schema defines them (the same fields, types and
 * descriptions as the request bodies); one schema per type, chosen by `type`. A field the type may
 * leave out is optional. Typed for the handlers as the domain's Source, which they return.
 */
export function sourceResponseSchema<Common extends z.ZodObject>(connectors: Partial<Record<SourceType, Connector<any>>>, common: Common) {
  const [first, ...rest] = ordered(connectors).map((connector) =>
    common.extend({ type: z.literal(connector.type), ...configShape(connector) }).openapi(`${NAMES[connector.type]}Source`),
  );
  return z.discriminatedUnion('type', [first!, ...rest]).openapi('Source', {
    description:
      "A source: the fields every source has, and its type's own (`url` for `rss`; `query`, `subreddit`, `instance`, `hashtag`, `channelId`, `baseUrl`… " +
      'for the others) as stored: trimmed and normalised (a subreddit as its name, Mastodon tags in lower case). Its credentials are never shown (`hasCredentials`).',
  });
}
