import { Provider } from '@nestjs/common';
import { Pool } from 'pg';
import { ConsoleActionsController } from './console-actions.controller';
import { ConsoleAssets } from './console-assets';
import { ConsoleHealthController, ConsoleHealthRepository } from './console-health';
import { ConsolePublications } from './console-publications';
import { ConsolePageController } from './console-page.controller';
import { ConsoleQueues } from './console-queues';
import { ConsoleReadController } from './console-read.controller';
import { ConsoleTokenGuard } from './console-token.guard';
import { ConsoleRepository } from './console.repository';

/**
 * The operator console (`/console`), registered by ApiModule beside the
 * public routes. Its providers use DatabaseModule's pools and RunsRepository,
 * and the PublishedListsCache; the SQS client is its own (ConsoleQueues).
 */
export const CONSOLE_CONTROLLERS = [ConsolePageController, ConsoleReadController, ConsoleActionsController, ConsoleHealthController];

export const CONSOLE_PROVIDERS: Provider[] = [
  { provide: ConsoleAssets, useFactory: () => new ConsoleAssets() },
  { provide: ConsoleRepository, inject: [Pool], useFactory: (pool: Pool) => new ConsoleRepository(pool) },
  { provide: ConsoleHealthRepository, inject: [Pool], useFactory: (pool: Pool) => new ConsoleHealthRepository(pool) },
  ConsoleQueues,
  ConsolePublications,
  ConsoleTokenGuard,
];
