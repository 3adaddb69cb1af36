import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Validate } from 'class-validator';
import { IsCalendarDateConstraint } from '@adrec/contracts';
import { INVALID_INPUT } from './api-request.dto';

/** `GET /evaluation?from=D1&to=D2`. */
export class EvaluationQuery {
  @ApiPropertyOptional({
    description: 'First published date (inclusive); without from and to, the last 30 published dates',
    example: '2022-04-01',
    format: 'date',
  })
  @IsOptional()
  @Validate(IsCalendarDateConstraint, { message: `from: ${INVALID_INPUT.date}` })
  from?: string;

  @ApiPropertyOptional({ description: 'Last published date (inclusive)', example: '2022-04-14', format: 'date' })
  @IsOptional()
  @Validate(IsCalendarDateConstraint, { message: `to: ${INVALID_INPUT.date}` })
  to?: string;
}
