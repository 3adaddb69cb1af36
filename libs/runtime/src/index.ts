export { migrateDatabase, runWorker, sqsAnswers } from './run-worker';
export { freePort, postgresAnswers, startEmbeddedPostgres } from './local-postgres';
export type { LocalPostgres } from './local-postgres';
export { startLocalEmulator, startLocalEmulatorOnFreePort } from './local-emulator';
export type { LocalEmulator } from './local-emulator';
export { stopProcess, waitForHttpOk } from './child-processes';
export { retainNextTickShape } from './next-tick-shape';
