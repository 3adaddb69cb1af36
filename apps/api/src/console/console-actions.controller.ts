import { BadRequestException, Body, Controller, HttpCode, Inject, Ip, Post, UseGuards } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { APP_CONFIG, AppConfig } from '@adrec/config';
import { newTrigger, todayUtc, TriggerMessage } from '@adrec/contracts';
import { JsonLogger } from '@adrec/logging';
import { ConsoleQueues, RedriveOutcome } from './console-queues';
import { RedriveBody, RerunBody } from './console-request.dto';
import { ConsoleTokenGuard } from './console-token.guard';

/**
 * The console's operator actions: the only writes the API makes, each one a
 * message on a queue, and only with the CONSOLE_TOKEN bearer token.
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
  ) {}

  @Post('rerun')
  @HttpCode(202)
  @ApiOperation({ summary: 'Start a new run of a date; it replaces the published one atomically when complete' })
  @ApiAcceptedResponse({ schema: { example: { runId: '2022-04-14-3f9c2a1b', runDate: '2022-04-14', windowDays: 1, triggeredAt: '2022-04-15T08:00:00.000Z' } } })
  @ApiBadRequestResponse({ description: 'Malformed or future date, or windowDays out of range' })
  async rerun(@Body() body: RerunBody, @Ip() client: string): Promise<TriggerMessage> {
    if (body.date > todayUtc()) throw new BadRequestException(`date ${body.date} is in the future: there are no logs to run yet`);
    const trigger = newTrigger(body.date, body.windowDays ?? this.config.pipeline.windowDays);
    await this.queues.trigger(trigger);
    this.logger.info('operator re-run', { runId: trigger.runId, runDate: trigger.runDate, windowDays: trigger.windowDays, client });
    return trigger;
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
