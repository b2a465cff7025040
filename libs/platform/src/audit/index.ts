export * from './audit.module.js';
export * from './audit.plugin.js';
export * from './audit-event.js';
export * from './audit-target.js';
export * from './audit-trail.js';
export * from './redact.js';
