import { Inject, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { BlueprintsModule } from '../blueprints/blueprints.module.js';
import { CloudAccountsModule } from '../cloud-accounts/cloud-accounts.module.js';
import { EnvironmentsModule } from '../environments/environments.module.js';
import { TenantsModule } from '../tenants/tenants.module.js';
import { TokensModule } from '../tokens/tokens.module.js';
import { AdminBootstrapService } from './admin-bootstrap.service.js';
import { DemoCatalogService } from './demo-catalog.service.js';
import { DemoCloudsService } from './demo-clouds.service.js';

/**
 * What a start puts in the database besides what people do: the first admin and its token, the
 * shared demo catalog and, when configured, the demo clouds. Apart from the features it uses.
 */
@Module({
  imports: [BlueprintsModule, CloudAccountsModule, EnvironmentsModule, TenantsModule, TokensModule],
  providers: [AdminBootstrapService, DemoCatalogService, DemoCloudsService],
})
export class SeedingModule implements OnApplicationBootstrap {
  constructor(
    @Inject(AdminBootstrapService) private readonly admin: AdminBootstrapService,
    @Inject(DemoCatalogService) private readonly catalog: DemoCatalogService,
    @Inject(DemoCloudsService) private readonly clouds: DemoCloudsService,
  ) {}

  // one after the other, in this order: the admin first, then what the admin sees
  async onApplicationBootstrap(): Promise<void> {
    await this.admin.run();
    await this.catalog.run();
    this.clouds.start();
  }
}
