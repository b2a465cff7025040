/**
 * Hard limits of protocol version 1. Both sides enforce them through the schemas, so a peer
 * can never make the other allocate or store more than these bounds allow.
 *
 * Counts cap what one message may carry; a sender with more data splits it (snapshot parts,
 * several deltas, several telemetry batches). Every message must also fit in one frame
 * (`MAX_FRAME_BYTES`, or the smaller `welcome.maxFrameBytes` the hub announced), so a sender
 * checks the encoded size too: `encodeFrame` throws `frame_too_large` when it does not fit.
 */

/** Largest frame either side accepts, in bytes of UTF-8. A larger frame closes the socket (4413). */
export const MAX_FRAME_BYTES = 4 * 1024 * 1024;

/** Most objects in one `inventory.snapshot` part. */
export const MAX_SNAPSHOT_PART_OBJECTS = 500;
/** Most parts of one snapshot; with 500 objects a part this is five million objects. */
export const MAX_SNAPSHOT_PARTS = 10_000;
/** Most changes in one `inventory.delta`. */
export const MAX_DELTA_CHANGES = 500;
/** Most objects (full) or upserts + deletes (diff) in one `config.push`. */
export const MAX_CONFIG_OBJECTS = 5_000;
/** Most per-object outcomes in one `config.result` (applied objects plus pruned ones). */
export const MAX_CONFIG_OUTCOMES = 10_000;
/** Most flow records in one `telemetry.batch`, and the largest `max` a `telemetry.pull` may ask for. */
export const MAX_TELEMETRY_BATCH_RECORDS = 1_000;
/** Most policy hits recorded on one flow. */
export const MAX_POLICIES_PER_FLOW = 100;

/** Message `id`, session, snapshot and ping nonce identifiers. */
export const MAX_ID_LENGTH = 64;
/** Human-readable text (`error.message`, `goodbye.message`, outcome messages). */
export const MAX_TEXT_LENGTH = 2_048;
/** The agent credential sent in `hello`. */
export const MAX_CREDENTIAL_LENGTH = 4_096;
/** Short tokens: versions, capabilities, kinds, protocol names, policy tiers. */
export const MAX_TOKEN_LENGTH = 128;
/** Protocol versions an agent may offer in `hello`. */
export const MAX_PROTOCOL_VERSIONS = 16;
/** Capabilities an agent may announce in `hello`. */
export const MAX_CAPABILITIES = 64;
/** Kinds of `projectcalico.org/v3` an agent may report in `hello.cluster.calicoKinds`. */
export const MAX_CALICO_KINDS = 128;

/** Kubernetes object names (DNS subdomain). */
export const MAX_NAME_LENGTH = 253;
/** Kubernetes namespace names (DNS label). */
export const MAX_NAMESPACE_LENGTH = 63;

/** Kubernetes label key: optional DNS-subdomain prefix of at most 253 characters... */
export const MAX_LABEL_KEY_PREFIX_LENGTH = 253;
/** ...then `/` and a name of at most 63 characters. */
export const MAX_LABEL_KEY_NAME_LENGTH = 63;
/** Kubernetes label value. */
export const MAX_LABEL_VALUE_LENGTH = 63;
/** Labels on one object. Kubernetes sets no count limit; real objects stay far below this. */
export const MAX_LABELS_PER_OBJECT = 128;

/** Annotations the agent forwards on one object (it forwards only those Meshplane reads). */
export const MAX_ANNOTATIONS_PER_OBJECT = 64;
/** One annotation value; the agent drops longer ones (e.g. `last-applied-configuration`). */
export const MAX_ANNOTATION_VALUE_LENGTH = 4_096;

/** IP addresses on one pod, node or host endpoint. */
export const MAX_IPS_PER_OBJECT = 32;
/** Ports on one Service or EndpointSlice. */
export const MAX_PORTS_PER_OBJECT = 256;
/** Endpoints in one EndpointSlice (Kubernetes' own limit). */
export const MAX_ENDPOINTS_PER_SLICE = 1_000;
/** Addresses of one EndpointSlice endpoint (Kubernetes' own limit). */
export const MAX_ADDRESSES_PER_ENDPOINT = 100;

/** Longest templated request path an HTTP record carries (the agent cuts longer ones). */
export const MAX_HTTP_PATH_LENGTH = 256;
/** Most path segments an HTTP record keeps; the rest are cut to `/…`. */
export const MAX_HTTP_PATH_SEGMENTS = 16;
/** Longest `:authority` (a DNS name plus a port). */
export const MAX_HTTP_AUTHORITY_LENGTH = 260;
/** Longest `x-request-id` and upstream cluster name an HTTP record keeps. */
export const MAX_HTTP_REQUEST_ID_LENGTH = 64;
export const MAX_HTTP_UPSTREAM_CLUSTER_LENGTH = 128;
