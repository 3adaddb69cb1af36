import 'reflect-metadata';
import { runWorker } from '@adrec/runtime';
import { WriterModule } from './writer.module';

runWorker('writer', (config) => WriterModule.forRoot(config), { migrate: true });
