import { Controller, Get, Inject, NotFoundException, Param, ServiceUnavailableException } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { APP_CONFIG, AppConfig } from '@adrec/config';
import { RunsRepository } from '@adrec/database';
import { JsonLogger, serializeError } from '@adrec/logging';
import { QueueDepth } from '@adrec/messaging';
import { RunParams } from '../api-request.dto';
import { ERROR_EXAMPLE } from '../openapi-examples';
import { PublishedListsCache } from '../published-lists.cache';
import { ConsoleQueues } from './console-queues';
import { ConsoleRepository } from './console.repository';

/** Pending jobs of a run shown to explain why it is stuck; the rest is only counted. */
const PENDING_SAMPLE = 10;

/** Read-only data the console page needs beyond the public API. */
@ApiTags('console')
@Controller('console/api')
export class ConsoleReadController {
  private readonly logger = new JsonLogger('api');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly queues: ConsoleQueues,
    private readonly repository: ConsoleRepository,
    private readonly runs: RunsRepository,
    private readonly cache: PublishedListsCache,
  ) {}

  @Get('settings')
  @ApiOperation({ summary: 'What the console page needs to know about this API' })
  @ApiOkResponse({ schema: { example: { operatorActions: true, stuckAfterSeconds: 900, windowDays: 1 } } })
  settings(): { operatorActions: boolean; stuckAfterSeconds: number; windowDays: number } {
    return {
      operatorActions: this.config.console.token !== undefined,
      stuckAfterSeconds: this.config.runs.stuckAfterSeconds,
      windowDays: this.config.pipeline.windowDays,
    };
  }

  @Get('queues')
  @ApiOperation({ summary: 'Waiting, in-flight and dead-lettered messages of every queue (approximate, as SQS reports them)' })
  @ApiOkResponse({ schema: { example: { queues: [{ queue: 'jobs', visible: 12, inFlight: 10, deadLettered: 0 }] } } })
  @ApiServiceUnavailableResponse({ description: 'SQS did not answer', schema: { example: ERROR_EXAMPLE(503) } })
  async queueDepths(): Promise<{ queues: QueueDepth[] }> {
    try {
      return { queues: await this.queues.depths() };
    } catch (error) {
      this.logger.warn('queue depths unavailable', { err: serializeError(error) });
      throw new ServiceUnavailableException(`SQS did not answer: ${(error as Error).name ?? 'error'}`);
    }
  }

  @Get('advertisers')
  @ApiOperation({ summary: 'The advertisers of the latest published run, and every published date' })
  @ApiOkResponse({
    schema: { example: { date: '2022-04-14', runId: '2022-04-14-3f9c2a1b', advertisers: ['VQ4YGSJW5RI50LHSYVAQ'], dates: ['2022-04-14'] } },
  })
  async advertisers(): Promise<{ date: string | null; runId: string | null; advertisers: string[]; dates: readonly string[] }> {
    const latest = await this.repository.latestRunAdvertisers();
    return {
      date: latest?.runDate ?? null,
      runId: latest?.runId ?? null,
      advertisers: latest?.advertiserIds ?? [],
      dates: this.cache.publishedDates,
    };
  }

  @Get('runs/:runId/pending')
  @ApiOperation({ summary: "A run's jobs without a stored result: why a run is stuck" })
  @ApiOkResponse({
    schema: { example: { runId: '2022-04-14-3f9c2a1b', total: 1, sample: [{ advertiserId: 'VQ4YGSJW5RI50LHSYVAQ', model: 'top_ctr' }] } },
  })
  @ApiNotFoundResponse({ description: 'No run with this id', schema: { example: ERROR_EXAMPLE(404) } })
  async pendingJobs(
    @Param() params: RunParams,
  ): Promise<{ runId: string; total: number; sample: { advertiserId: string; model: string }[] }> {
    if (!(await this.runs.find(params.runId))) throw new NotFoundException(`no run ${params.runId}`);
    const pending = await this.runs.pendingJobs(params.runId);
    return { runId: params.runId, total: pending.length, sample: pending.slice(0, PENDING_SAMPLE) };
  }
}
