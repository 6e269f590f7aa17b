import type { Logger } from '../logger.js';
import type { Principal } from '../domain/workspaces/workspaces.usecases.js';

export interface ApiEnv {
  Variables: {
    requestId: string;
    log: Logger;
    principal: Principal;
  };
}
