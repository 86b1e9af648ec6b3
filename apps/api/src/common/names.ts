/** DNS-label-like names people type: tenants, users, blueprints, environments. */
export const NAME_PATTERN = /^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$/;
export const NAME_RULE =
  'must be 1-64 lowercase letters, digits or -, starting and ending with a letter or digit';
