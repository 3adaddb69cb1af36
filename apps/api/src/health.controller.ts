import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { Pool } from 'pg';
import { errorBody } from './json-reply';

const DATABASE_UNREACHABLE = 'database unreachable';

@ApiTags('operations')
@Controller()
export class HealthController {
  constructor(private readonly pool: Pool) {}

  /** Liveness: the process answers. */
  @Get('health')
  @ApiOperation({ summary: 'Liveness' })
  @ApiOkResponse({ schema: { example: { status: 'ok' } } })
  health(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Readiness: the database answers. */
  @Get('ready')
  @ApiOperation({ summary: 'Readiness: the database answers' })
  @ApiOkResponse({ schema: { example: { status: 'ready' } } })
  @ApiServiceUnavailableResponse({
    schema: { example: errorBody(503, DATABASE_UNREACHABLE) },
  })
  async ready(): Promise<{ status: 'ready' }> {
    try {
      await this.pool.query('SELECT 1');
      return { status: 'ready' };
    } catch {
      throw new ServiceUnavailableException(DATABASE_UNREACHABLE);
    }
  }
}
