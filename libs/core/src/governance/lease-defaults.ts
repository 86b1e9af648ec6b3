/** Without a tenant lease policy: warn a day before a lease ends (and no maximum). */
export const DEFAULT_WARN_BEFORE_MINUTES = 1440;
