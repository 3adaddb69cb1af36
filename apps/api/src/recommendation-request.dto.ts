import { IsOptional, Matches, Validate } from 'class-validator';
import { ADVERTISER_ID_PATTERN, IsCalendarDateConstraint } from '@adrec/contracts';

export class RecommendationParams {
  @Matches(ADVERTISER_ID_PATTERN, { message: 'advertiserId must be 1-128 characters of A-Z a-z 0-9 . _ : @ -' })
  advertiserId!: string;

  /** top_ctr or top_product, any case; TopCTR and TopProduct too. Checked by the controller against the model list. */
  @Matches(/^[A-Za-z_]{1,32}$/, { message: 'model must be top_ctr or top_product' })
  model!: string;
}

export class RecommendationQuery {
  @IsOptional()
  @Validate(IsCalendarDateConstraint, { message: 'date must be a calendar date YYYY-MM-DD' })
  date?: string;
}
