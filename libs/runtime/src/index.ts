export { migrateDatabase, runWorker } from './run-worker';
