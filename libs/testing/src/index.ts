export * from './control-plane.js';
export * from './database.js';
export * from './fake-agent.js';
export * from './graphql-client.js';
export * from './kube-api/index.js';
export * from './redis.js';
