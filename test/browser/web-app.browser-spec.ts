import { describeBrowser } from './support/browser.js';
import { useWebStack } from './support/web-stack.js';
import { adminTests } from './flows/admin.js';
import { catalogAndOrderTests } from './flows/catalog-order.js';
import { pageTests } from './flows/pages.js';
import { passwordSignInTests } from './flows/password-sign-in.js';
import { priceRuleTests } from './flows/price-rules.js';
import { userTests } from './flows/users.js';
import { webSecurityTests } from './flows/web-security.js';

// The web app as people use it: served by the API at /, driven in Debian's chromium. One stack
// (API, worker, moto, vcsim) for the file; the tests run in order and share it: the keyboard-only
// order makes the deployment that later tests watch, scale, terminate and visit at two widths.
describeBrowser('the web app in chromium', () => {
  const stack = useWebStack();
  catalogAndOrderTests(stack);
  adminTests(stack);
  priceRuleTests(stack);
  pageTests(stack);
  passwordSignInTests(stack);
  userTests(stack);
  webSecurityTests(stack);
});
