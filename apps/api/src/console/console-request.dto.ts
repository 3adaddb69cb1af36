import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, Max, Min, Validate } from 'class-validator';
import { CALENDAR_DATE_RULE, IsCalendarDateConstraint, MAX_WINDOW_DAYS } from '@adrec/contracts';
import { QUEUES, QueueName } from '@adrec/messaging';

/** Every body of the console's operator actions, validated here and nowhere else. */

export class RerunBody {
  @ApiProperty({ description: 'The run date to compute again', example: '2022-04-14', format: 'date' })
  @Validate(IsCalendarDateConstraint, { message: `date must be ${CALENDAR_DATE_RULE}` })
  date!: string;

  @ApiPropertyOptional({ description: 'Days of logs the run reads; WINDOW_DAYS when omitted', minimum: 1, maximum: MAX_WINDOW_DAYS })
  @IsOptional()
  @IsInt({ message: `windowDays must be an integer from 1 to ${MAX_WINDOW_DAYS}` })
  @Min(1, { message: `windowDays must be an integer from 1 to ${MAX_WINDOW_DAYS}` })
  @Max(MAX_WINDOW_DAYS, { message: `windowDays must be an integer from 1 to ${MAX_WINDOW_DAYS}` })
  windowDays?: number;
}

export class RedriveBody {
  @ApiPropertyOptional({ description: 'The queue whose DLQ to move back; every queue when omitted', enum: QUEUES })
  @IsOptional()
  @IsIn(QUEUES, { message: `queue must be one of ${QUEUES.join(', ')}` })
  queue?: QueueName;
}
