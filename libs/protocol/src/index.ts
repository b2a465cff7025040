export * from './backoff.js';
export * from './capabilities.js';
export * from './close-codes.js';
export {
  type Annotations,
  AnnotationsSchema,
  CalicoVersion,
  IpAddressSchema,
  isQualifiedKey,
  KindName,
  type L4Protocol,
  L4ProtocolSchema,
  type Labels,
  LabelsSchema,
} from './common.schemas.js';
export * from './config-object.js';
export * from './flow-record.js';
export * from './frame-codec.js';
export * from './http-request-record.js';
export * from './inventory-object.js';
export * from './message-direction.js';
export * from './messages.js';
export * from './protocol.errors.js';
export * from './protocol.limits.js';
export * from './protocol-version.js';
export * from './sample-messages.js';
