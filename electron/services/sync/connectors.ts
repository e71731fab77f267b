// The connector the config names. Everything above it is the same code for every source.
import type { RegisterConfig } from '../config/config.ts'
import type { Connector } from './connector.ts'
import { createDemoConnector } from './demo/index.ts'
import { createHttpConnector } from './http/connector.ts'

export function createConnector(config: RegisterConfig, now: () => Date): Connector {
  const connector = config.connector
  switch (connector.kind) {
    case 'demo':
      return createDemoConnector({ seed: connector.seed, scale: connector.scale, storeId: config.storeId, now })
    case 'http':
      return createHttpConnector({ endpoint: connector.endpoint, token: connector.token, storeId: config.storeId, deviceId: config.deviceId })
  }
}

/** Changes per page: the largest the contract allows (1..5000), so a full sync takes few round trips. */
export function pageSizeFor(_config: RegisterConfig): number {
  return 5000
}
