export * from './channels.js';
export * from './internal-api.js';
export * from './queues.js';
