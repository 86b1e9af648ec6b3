import type { INestApplication } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { MetadataScanner, ModulesContainer } from '@nestjs/core';
import type { Role } from '@switchyard/core/database';
import { PUBLIC_ROUTE, REQUIRED_ROLE } from '../auth/auth.decorators.js';

export interface RouteAuth {
  /** Needs no token (@Public()). */
  open: boolean;
  /** The role @RequireRole() asks for, if any. */
  role?: Role;
}

/**
 * What the AuthGuard will ask of each handler, keyed as Nest's Swagger module names operations
 * (`Controller_method`): read from the same decorators the guard reads, so the document cannot
 * call a route open that the guard closes, or the other way round.
 */
export function routeAuthByOperationId(app: INestApplication): Map<string, RouteAuth> {
  const reflector = new Reflector();
  const scanner = new MetadataScanner();
  const byId = new Map<string, RouteAuth>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => object) | null;
      if (!controller || typeof controller !== 'function') continue;
      for (const name of scanner.getAllMethodNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, unknown>)[name];
        if (typeof handler !== 'function') continue;
        const targets = [handler, controller];
        byId.set(`${controller.name}_${name}`, {
          open: reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets) === true,
          role: reflector.getAllAndOverride<Role | undefined>(REQUIRED_ROLE, targets),
        });
      }
    }
  }
  return byId;
}
