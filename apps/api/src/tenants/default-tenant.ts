/**
 * The tenant every install has (the foundation migration creates it): it holds the first admin
 * and the shared demo catalog, and a sign-in that names no tenant means it.
 */
export const DEFAULT_TENANT = 'default';
