import 'reflect-metadata';
import { runWorker } from '@adrec/runtime';
import { IngestModule } from './ingest.module';

runWorker('ingest', (config) => IngestModule.forRoot(config), { migrate: true });
