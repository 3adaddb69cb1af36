export { childEnvironment, loadConfig, requireDatabaseUrl } from './app-config';
export type { AppConfig } from './app-config';
export { APP_CONFIG, ConfigModule } from './config.module';
export { EnvironmentVariables } from './environment.dto';
