import { isServerPath } from './web-app.util.js';

describe('isServerPath', () => {
  it('keeps the API, docs, health, metrics and the Contiv API away from the web app', () => {
    for (const p of [
      '/api',
      '/api/v1/me',
      '/api/docs',
      '/health/live',
      '/metrics',
      '/netmaster/api/v1/tenants',
    ]) {
      expect(isServerPath(p)).toBe(true);
    }
  });

  it('leaves the app its own routes, including ones that merely start with the same letters', () => {
    for (const p of [
      '/',
      '/catalog',
      '/catalog/three-tier-shop',
      '/deployments/1',
      '/apis',
      '/healthy',
      '/admin',
    ]) {
      expect(isServerPath(p)).toBe(false);
    }
  });
});
