import { Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiBadRequestResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RouteSchema } from '@nestjs/platform-fastify';
import { PublicationsRepository, RunsRepository } from '@adrec/database';
import { DEFAULT_RUNS_LIMIT, RunParams, RunsQuery } from './api-request.dto';
import { ERROR_EXAMPLE, RUN_EXAMPLE } from './openapi-examples';
import { RUN_VIEW_SCHEMA, RunView, toPublicationEventView, toRunView } from './run.view';

@ApiTags('runs')
@Controller('runs')
export class RunsController {
  constructor(
    private readonly runs: RunsRepository,
    private readonly publications: PublicationsRepository,
  ) {}

  @Get()
  @RouteSchema({ response: { 200: { type: 'object', properties: { runs: { type: 'array', items: RUN_VIEW_SCHEMA } } } } })
  @ApiOperation({ summary: 'Recent pipeline runs, most recently triggered first' })
  @ApiOkResponse({ description: 'Runs with status, progress, timings and counts', schema: { example: { runs: [RUN_EXAMPLE] } } })
  @ApiBadRequestResponse({ description: 'limit or date malformed', schema: { example: ERROR_EXAMPLE(400) } })
  async list(@Query() query: RunsQuery): Promise<{ runs: RunView[] }> {
    const runs = await this.runs.listRecent(query.limit ?? DEFAULT_RUNS_LIMIT, query.date);
    return { runs: runs.map(toRunView) };
  }

  @Get(':runId')
  @RouteSchema({ response: { 200: RUN_VIEW_SCHEMA } })
  @ApiOperation({ summary: 'One run, with the publication changes that published it or replaced it (how, when, why)' })
  @ApiOkResponse({ description: 'The run', schema: { example: RUN_EXAMPLE } })
  @ApiNotFoundResponse({ description: 'No run with this id', schema: { example: ERROR_EXAMPLE(404) } })
  @ApiBadRequestResponse({ description: 'runId malformed', schema: { example: ERROR_EXAMPLE(400) } })
  async get(@Param() params: RunParams): Promise<RunView> {
    const run = await this.runs.find(params.runId);
    if (!run) throw new NotFoundException(`no run ${params.runId}`);
    const publications = await this.publications.historyOfRun(run.runId);
    return { ...toRunView(run), publications: publications.map(toPublicationEventView) };
  }
}
