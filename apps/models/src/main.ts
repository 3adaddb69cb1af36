import 'reflect-metadata';
import { runWorker } from '@adrec/runtime';
import { ModelsModule } from './models.module';

runWorker('models', (config) => ModelsModule.forRoot(config));
