/** Every way building the reference data plane or deciding a packet can fail. */
export type DataplaneErrorCode =
  /** A Calico object the data plane cannot read (bad selector, bad CIDR, unknown tier). */
  | 'INVALID_OBJECT'
  /** A field whose enforcement the reference does not model: refused, never ignored. */
  | 'UNSUPPORTED'
  | 'INVALID_PACKET';

export class DataplaneError extends Error {
  override readonly name = 'DataplaneError';

  constructor(
    readonly code: DataplaneErrorCode,
    message: string,
  ) {
    super(message);
  }
}
