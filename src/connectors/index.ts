import type { SourceType } from '../domain/items/item.types.js';
import type { Connector } from './connector.types.js';
import { rssConnector } from './rss.connector.js';

/** Every source type and the connector that polls it. */
export const connectors: Partial<Record<SourceType, Connector<any>>> = {
  rss: rssConnector,
};

export function connectorFor(type: SourceType): Connector<any> {
  const connector = connectors[type];
  if (!connector) throw new Error(`no connector for source type ${type}`);
  return connector;
}

export * from './connector.types.js';
