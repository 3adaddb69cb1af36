import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength, Validate } from 'class-validator';
import { IsCalendarDateConstraint, MAX_WINDOW_DAYS, RUN_ID_PATTERN } from '@adrec/contracts';
import { QUEUES, QueueName } from '@adrec/messaging';
import { INVALID_INPUT } from '../api-request.dto';

/** Every body of the console's operator actions, validated here and nowhere else. */

export class RerunBody {
  @ApiProperty({ description: 'The run date to compute again', example: '2022-04-14', format: 'date' })
  @Validate(IsCalendarDateConstraint, { message: INVALID_INPUT.date })
  date!: string;

  @ApiPropertyOptional({ description: 'Days of logs the run reads; WINDOW_DAYS when omitted', minimum: 1, maximum: MAX_WINDOW_DAYS })
  @IsOptional()
  @IsInt({ message: `windowDays must be an integer from 1 to ${MAX_WINDOW_DAYS}` })
  @Min(1, { message: `windowDays must be an integer from 1 to ${MAX_WINDOW_DAYS}` })
  @Max(MAX_WINDOW_DAYS, { message: `windowDays must be an integer from 1 to ${MAX_WINDOW_DAYS}` })
  windowDays?: number;

  @ApiPropertyOptional({ description: 'Compute the run without publishing it (status staged); publish it later', default: false })
  @IsOptional()
  @IsBoolean({ message: 'stage must be true or false' })
  stage?: boolean;
}

const REASON_MESSAGE = 'reason must be 1-500 characters';

/** What every publication action may say about why; recorded with the change. */
class ReasonBody {
  @ApiPropertyOptional({
    description: "The operator's reason, recorded with the change",
    example: 'bad advertiser list on the 14th',
    maxLength: 500,
  })
  @IsOptional()
  @IsString({ message: REASON_MESSAGE })
  @MinLength(1, { message: REASON_MESSAGE })
  @MaxLength(500, { message: REASON_MESSAGE })
  reason?: string;
}

export class PublishBody extends ReasonBody {
  @ApiProperty({
    description: 'The complete run (published, superseded or staged) to publish; its date is pinned',
    example: '2022-04-14-3f9c2a1b',
  })
  @Matches(RUN_ID_PATTERN, { message: INVALID_INPUT.runId })
  runId!: string;
}

export class DateActionBody extends ReasonBody {
  @ApiProperty({ description: 'The run date', example: '2022-04-14', format: 'date' })
  @Validate(IsCalendarDateConstraint, { message: INVALID_INPUT.date })
  date!: string;
}

export class RedriveBody {
  @ApiPropertyOptional({ description: 'The queue whose DLQ to move back; every queue when omitted', enum: QUEUES })
  @IsOptional()
  @IsIn(QUEUES, { message: `queue must be one of ${QUEUES.join(', ')}` })
  queue?: QueueName;
}
