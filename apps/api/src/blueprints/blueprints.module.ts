import { Module } from '@nestjs/common';
import { EnvironmentsModule } from '../environments/environments.module.js';
import { EntitlementsModule } from '../governance/entitlements/entitlements.module.js';
import { TenantsModule } from '../tenants/tenants.module.js';
import { BlueprintFromPriceService } from './blueprint-from-price.service.js';
import { BlueprintLoaderService } from './blueprint-loader.service.js';
import { BlueprintPlanService } from './blueprint-plan.service.js';
import { BlueprintPublishingService } from './blueprint-publishing.service.js';
import { BlueprintVersionsController } from './blueprint-versions.controller.js';
import { BlueprintsController } from './blueprints.controller.js';
import { BlueprintsRepository } from './blueprints.repository.js';
import { BlueprintsService } from './blueprints.service.js';

/** The blueprint catalog (issue 3): push, publish, browse, plan. */
@Module({
  imports: [EnvironmentsModule, TenantsModule, EntitlementsModule],
  // The order matters: BlueprintsController's `schema.json` must precede the version routes.
  controllers: [BlueprintsController, BlueprintVersionsController],
  providers: [
    BlueprintsRepository,
    BlueprintLoaderService,
    BlueprintsService,
    BlueprintPublishingService,
    BlueprintPlanService,
    BlueprintFromPriceService,
  ],
  exports: [BlueprintsRepository, BlueprintsService, BlueprintLoaderService],
})
export class BlueprintsModule {}
