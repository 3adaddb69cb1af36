import { BadRequestException, Body, Controller, HttpCode, Inject, Ip, Post, UseGuards } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { APP_CONFIG, AppConfig } from '@adrec/config';
import { newTrigger, todayUtc, TriggerMessage } from '@adrec/contracts';
import { JsonLogger } from '@adrec/logging';
import { ConsoleQueues, RedriveOutcome } from './console-queues';
import { PublicationOutcome } from '@adrec/database';
import { ConsolePublications } from './console-publications';
import { DateActionBody, PublishBody, RedriveBody, RerunBody } from './console-request.dto';
import { ConsoleTokenGuard } from './console-token.guard';

/**
 * The console's operator actions, the only writes the API makes, and only
 * with the CONSOLE_TOKEN bearer token: re-run and redrive (a message on a
 * queue each), and publish, rollback and unpin (one transaction each).
 */
@ApiTags('console')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'No bearer token' })
@ApiForbiddenResponse({ description: 'Wrong bearer token' })
@ApiNotFoundResponse({ description: 'Operator actions are off (CONSOLE_TOKEN unset)' })
@UseGuards(ConsoleTokenGuard)
@Controller('console/api')
export class ConsoleActionsController {
  private readonly logger = new JsonLogger('api');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly queues: ConsoleQueues,
    private readonly publications: ConsolePublications,
  ) {}

  @Post('rerun')
  @HttpCode(202)
  @ApiOperation({ summary: 'Start a new run of a date; it replaces the published one atomically when complete' })
  @ApiAcceptedResponse({
    schema: { example: { runId: '2022-04-14-3f9c2a1b', runDate: '2022-04-14', windowDays: 1, triggeredAt: '2022-04-15T08:00:00.000Z' } },
  })
  @ApiBadRequestResponse({ description: 'Malformed or future date, or windowDays out of range' })
  async rerun(@Body() body: RerunBody, @Ip() client: string): Promise<TriggerMessage> {
    if (body.date > todayUtc()) throw new BadRequestException(`date ${body.date} is in the future: there are no logs to run yet`);
    const trigger = newTrigger(body.date, body.windowDays ?? this.config.pipeline.windowDays, new Date(), body.stage ? 'stage' : 'auto');
    await this.queues.trigger(trigger);
    this.logger.info('operator re-run', {
      runId: trigger.runId,
      runDate: trigger.runDate,
      windowDays: trigger.windowDays,
      stage: body.stage === true,
      client,
    });
    return trigger;
  }

  @Post('publish')
  @HttpCode(200)
  @ApiOperation({ summary: 'Make a complete run the published run of its date (atomically) and pin the date' })
  @ApiOkResponse({
    schema: {
      example: {
        runId: '2022-04-14-3f9c2a1b',
        runDate: '2022-04-14',
        status: 'published',
        previousRunId: '2022-04-14-0b7d11e2',
        changed: true,
        pinned: true,
      },
    },
  })
  @ApiConflictResponse({ description: 'The run is not complete (running, failed, deleted…)' })
  @ApiServiceUnavailableResponse({ description: "The API's database login may not publish" })
  async publish(@Body() body: PublishBody, @Ip() client: string): Promise<PublicationOutcome> {
    const outcome = await this.publications.publish(body.runId, body.reason);
    this.logger.info('operator publish', { ...outcome, reason: body.reason, client });
    return outcome;
  }

  @Post('rollback')
  @HttpCode(200)
  @ApiOperation({ summary: 'Republish the run published before the current one of a date, and pin the date' })
  @ApiOkResponse({
    schema: {
      example: {
        runId: '2022-04-14-0b7d11e2',
        runDate: '2022-04-14',
        status: 'published',
        previousRunId: '2022-04-14-3f9c2a1b',
        changed: true,
        pinned: true,
      },
    },
  })
  @ApiConflictResponse({ description: 'Nothing published, or no earlier published run still retained' })
  @ApiServiceUnavailableResponse({ description: "The API's database login may not publish" })
  async rollback(@Body() body: DateActionBody, @Ip() client: string): Promise<PublicationOutcome> {
    const outcome = await this.publications.rollback(body.date, body.reason);
    this.logger.info('operator rollback', { ...outcome, reason: body.reason, client });
    return outcome;
  }

  @Post('unpin')
  @HttpCode(200)
  @ApiOperation({ summary: "End a date's pin: its run stays published, and the pipeline may replace it again" })
  @ApiOkResponse({ schema: { example: { runId: '2022-04-14-0b7d11e2', changed: true } } })
  @ApiConflictResponse({ description: 'Nothing published for the date' })
  async unpin(@Body() body: DateActionBody, @Ip() client: string): Promise<{ runId: string; changed: boolean }> {
    const outcome = await this.publications.unpin(body.date, body.reason);
    this.logger.info('operator unpin', { date: body.date, ...outcome, reason: body.reason, client });
    return outcome;
  }

  @Post('redrive')
  @HttpCode(200)
  @ApiOperation({ summary: "Move a queue's dead-lettered messages back to it (every queue when none is named)" })
  @ApiOkResponse({ schema: { example: { redriven: [{ queue: 'jobs', method: 'copy', moved: 3 }] } } })
  @ApiBadRequestResponse({ description: 'Unknown queue' })
  async redrive(@Body() body: RedriveBody, @Ip() client: string): Promise<{ redriven: RedriveOutcome[] }> {
    const redriven = await this.queues.redrive(body.queue);
    this.logger.info('operator redrive', { queue: body.queue ?? 'all', redriven, client });
    return { redriven };
  }
}
