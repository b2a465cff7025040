export * from './control-plane.js';
export * from './database.js';
export * from './fake-agent.js';
export * from './graphql-client.js';
export * from './kube-api/index.js';
export * from './kube-schemas.js';
export * from './redis.js';
export * from './subgraph-app.js';
