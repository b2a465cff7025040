export * from './channels.js';
export * from './queues.js';
