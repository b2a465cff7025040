import { PlatformModule } from '@meshplane/platform';
import { Module } from '@nestjs/common';
import { ClustersResolver } from './clusters/clusters.resolver.js';
import { ClustersService } from './clusters/clusters.service.js';
import { clustersConfigSchema } from './config.js';
import { clustersEntities } from './entities.js';

@Module({
  imports: [
    PlatformModule.forRoot({
      service: 'clusters',
      configSchema: clustersConfigSchema,
      database: { schema: 'clusters', entities: clustersEntities },
      graphql: true,
    }),
  ],
  providers: [ClustersService, ClustersResolver],
})
export class AppModule {}
