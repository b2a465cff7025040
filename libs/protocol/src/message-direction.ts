import type { Message, MessageType } from './messages.js';

/** Which way a frame travels: `toHub` is agent → hub, `toAgent` is hub → agent. */
export type Direction = 'toHub' | 'toAgent';

const BOTH: readonly Direction[] = ['toHub', 'toAgent'];
const TO_HUB: readonly Direction[] = ['toHub'];
const TO_AGENT: readonly Direction[] = ['toAgent'];

/** The directions each message may travel in. */
export const MESSAGE_DIRECTIONS = {
  hello: TO_HUB,
  welcome: TO_AGENT,
  ping: BOTH,
  pong: BOTH,
  'inventory.snapshot': TO_HUB,
  'inventory.delta': TO_HUB,
  'config.push': TO_AGENT,
  'config.result': TO_HUB,
  'telemetry.pull': TO_AGENT,
  'telemetry.batch': TO_HUB,
  'telemetry.ack': TO_AGENT,
  'telemetry.http.pull': TO_AGENT,
  'telemetry.http.batch': TO_HUB,
  'telemetry.http.ack': TO_AGENT,
  error: BOTH,
  goodbye: BOTH,
} as const satisfies Record<MessageType, readonly Direction[]>;

type DirectionsOf<T extends MessageType> = (typeof MESSAGE_DIRECTIONS)[T][number];
type TypesTo<D extends Direction> = {
  [T in MessageType]: D extends DirectionsOf<T> ? T : never;
}[MessageType];

/** Messages an agent may send. */
export type ToHubMessage = Extract<Message, { type: TypesTo<'toHub'> }>;
/** Messages the hub may send. */
export type ToAgentMessage = Extract<Message, { type: TypesTo<'toAgent'> }>;
/** The messages that may travel in direction `D`. */
export type MessageTo<D extends Direction> = D extends 'toHub' ? ToHubMessage : ToAgentMessage;

export function isAllowedDirection(type: MessageType, direction: Direction): boolean {
  return (MESSAGE_DIRECTIONS[type] as readonly Direction[]).includes(direction);
}
