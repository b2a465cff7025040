/** Injection tokens for what PlatformModule provides. */
export const CONFIG = Symbol('meshplane:config');
export const LOGGER = Symbol('meshplane:logger');
export const REDIS = Symbol('meshplane:redis');
export const IDENTITY_CODEC = Symbol('meshplane:identity-codec');
