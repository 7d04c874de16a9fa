/** Public surface of the live (AWS SDK v3) collector. */
export { collectLive, expandNeeds, DEFAULT_CONCURRENCY, type LiveCollectOptions } from './collect.js';
export { CollectionError, classifyError, type CallContext } from './errors.js';
export { permissionsFor, IAM_ACTIONS, OPERATIONS, type IamAction } from './permissions.js';
export type { Progress } from './scheduler.js';
