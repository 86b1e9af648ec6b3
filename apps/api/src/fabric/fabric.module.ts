import { Module } from '@nestjs/common';
import { Fabric, FabricService } from '@switchyard/network-fabric';
import { DataSource } from 'typeorm';
import { ContivObjectsController } from './contiv-objects.controller.js';
import { ContivObjectsService } from './contiv-objects.service.js';
import { FabricPluginController } from './fabric-plugin.controller.js';
import { FabricPluginService } from './fabric-plugin.service.js';
import { FabricRulesetsController } from './fabric-rulesets.controller.js';
import { FabricVerdictController } from './fabric-verdict.controller.js';
import { NetmasterVersionController } from './netmaster-version.controller.js';

/**
 * The network fabric over HTTP: Contiv's netmaster API under /netmaster and the verdict query
 * and the compiled rulesets under /api/v1/fabric. Auth is the global guard's (Bearer, or the token as Basic user name).
 */
@Module({
  // The plugin controller first: its `inspect/endpoints/:id` must win over `inspect/:collection/:key`.
  controllers: [
    FabricPluginController,
    ContivObjectsController,
    FabricVerdictController,
    FabricRulesetsController,
    NetmasterVersionController,
  ],
  providers: [
    // the fabric library keeps its own storage: its classes are built here on the DataSource,
    // which no API feature of this folder injects
    { provide: FabricService, useFactory: (ds: DataSource) => new FabricService(ds), inject: [DataSource] },
    { provide: Fabric, useFactory: (ds: DataSource) => new Fabric(ds), inject: [DataSource] },
    ContivObjectsService,
    FabricPluginService,
  ],
  exports: [FabricService],
})
export class FabricModule {}
