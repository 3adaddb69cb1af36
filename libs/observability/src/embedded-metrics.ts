/** A CloudWatch metric carried by a log line. */
export interface EmbeddedMetric {
  name: string;
  value: number;
  unit: 'Seconds' | 'Count' | 'None';
}

/** CloudWatch namespace of the metrics adrec's processes put in their logs. */
export const CLOUDWATCH_NAMESPACE = 'Adrec';

/**
 * Fields that turn a JSON log line into CloudWatch's embedded metric format
 * (EMF): a log group receiving the line (the awslogs driver with
 * `awslogs-format=json/emf`) extracts the metrics from it, so alarms and
 * dashboards read real metrics instead of matching log text. Elsewhere the
 * fields are just part of the line.
 */
export function embeddedMetricFields(
  metrics: EmbeddedMetric[],
  dimensions: Record<string, string> = {},
  at = Date.now(),
): Record<string, unknown> {
  const fields: Record<string, unknown> = {
    _aws: {
      Timestamp: at,
      CloudWatchMetrics: [
        {
          Namespace: CLOUDWATCH_NAMESPACE,
          Dimensions: [Object.keys(dimensions)],
          Metrics: metrics.map(({ name, unit }) => ({ Name: name, Unit: unit })),
        },
      ],
    },
    ...dimensions,
  };
  for (const metric of metrics) fields[metric.name] = metric.value;
  return fields;
}
