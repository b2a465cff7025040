export * from './api-client.js';
export * from './cli-error.js';
export * from './credentials.js';
export * from './manifests.js';
export * from './program.js';
export * from './render.js';
