import 'reflect-metadata';
import { loadConfig } from '@adrec/config';
import { addLogSecrets, JsonLogger, serializeError, setLogLevel } from '@adrec/logging';
import { startTracing } from '@adrec/observability';
import { createApi } from './create-api';

const logger = new JsonLogger('api');

(async () => {
  const config = loadConfig();
  setLogLevel(config.logLevel);
  addLogSecrets([config.console.token]);
  startTracing('api', config.observability);
  const app = await createApi(config);
  await app.listen(config.http.port, config.http.host);
  logger.info('listening', { port: config.http.port, host: config.http.host });
})().catch((error) => {
  logger.error('failed to start', { err: serializeError(error) });
  process.exit(1);
});
