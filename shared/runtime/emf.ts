/**
 * CloudWatch Embedded Metric Format: one JSON log line per flush, which CloudWatch Logs turns
 * into metrics (no PutMetricData call, no Powertools metrics dependency).
 */
export function emfLine(
  namespace: string,
  dimensions: Record<string, string>,
  values: Record<string, number>,
  timestamp: number,
): string {
  return JSON.stringify({
    _aws: {
      Timestamp: timestamp,
      CloudWatchMetrics: [
        {
          Namespace: namespace,
          Dimensions: [Object.keys(dimensions)],
          Metrics: Object.keys(values).map((Name) => ({
            Name,
            Unit: /Precision|Recall/.test(Name) ? 'None' : 'Count',
          })),
        },
      ],
    },
    ...dimensions,
    ...values,
  });
}
