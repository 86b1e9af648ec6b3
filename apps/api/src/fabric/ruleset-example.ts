/** An abridged ruleset, for the OpenAPI examples. */
export const RULESET_EXAMPLE = [
  '# Switchyard fabric policy of tenant "default", compiled from its groups, policies and rules.',
  'table inet switchyard_default',
  'delete table inet switchyard_default',
  'table inet switchyard_default {',
  '  set grp_web {',
  '    type ipv4_addr',
  '    flags interval',
  '    elements = { 10.1.0.10 }',
  '  }',
  '  …',
  '}',
  '',
].join('\n');
