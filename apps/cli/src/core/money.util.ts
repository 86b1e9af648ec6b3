import type { Schemas } from './api-contract.js';

type Money = Schemas['MoneyDto'];

/** Hourly rates everywhere in the CLI: four decimals, so cents per month still add up. */
export const HOURLY_DECIMALS = 4;
/** Monthly amounts and totals: to the cent. */
export const MONTHLY_DECIMALS = 2;

/** `0.0416` from the API's decimal string, at the CLI's fixed precision for rates per hour. */
export function hourlyAmount(m: Money): string {
  return Number(m.amount).toFixed(HOURLY_DECIMALS);
}

/** Monthly amounts, totals and spend: to the cent. */
export function centsAmount(m: Money): string {
  return Number(m.amount).toFixed(MONTHLY_DECIMALS);
}

/** `0.0832 USD/hour, 60.74 USD/month` */
export function costLine(hourly: Money, monthly: Money): string {
  return `${hourlyAmount(hourly)} ${hourly.currency}/hour, ${centsAmount(monthly)} ${monthly.currency}/month`;
}
