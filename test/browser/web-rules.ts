// The web app's own checks of a price list (apps/web/src/lib/price-list.ts, plain TypeScript
// without imports), run here in Node so that a test can hold them against the server's answers.
export { checkPriceList, toBody, toDraft } from '../../apps/web/src/lib/price-list.js';
