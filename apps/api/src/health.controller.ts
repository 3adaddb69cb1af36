import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { Pool } from 'pg';

@Controller()
export class HealthController {
  constructor(private readonly pool: Pool) {}

  /** Liveness: the process answers. */
  @Get('health')
  health(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Readiness: the database answers. */
  @Get('ready')
  async ready(): Promise<{ status: 'ready' }> {
    try {
      await this.pool.query('SELECT 1');
      return { status: 'ready' };
    } catch {
      throw new ServiceUnavailableException('database unreachable');
    }
  }
}
