import { Duration } from 'aws-cdk-lib';

/** One multi-window burn-rate alarm: it fires when both windows spend the error budget at least `burnRate` times too fast. */
export interface BurnRateWindow {
  /** The long window (the rate is sustained). */
  readonly longWindow: Duration;
  /** The short window (the rate is still going on: the alarm resets soon after a recovery). */
  readonly shortWindow: Duration;
  /** How many times faster than the budget allows (1 = the budget is spent exactly at the period's end). */
  readonly burnRate: number;
}

/**
 * The Google SRE workbook's paging pair ("Alerting on SLOs", a 30-day budget): 2% of the budget
 * in 1 hour (14.4x, confirmed over 5 minutes) and 5% in 6 hours (6x, confirmed over 30 minutes).
 */
export const SRE_WORKBOOK_BURN_RATES: readonly BurnRateWindow[] = [
  { longWindow: Duration.hours(1), shortWindow: Duration.minutes(5), burnRate: 14.4 },
  { longWindow: Duration.hours(6), shortWindow: Duration.minutes(30), burnRate: 6 },
];

/** The shortest time between two freshness measurements (a measurement of a Kafka topic takes about a second). */
export const MIN_MEASUREMENT_INTERVAL_SECONDS = 1;

/** Default metric namespace of the freshness measurements. */
export const FRESHNESS_NAMESPACE = 'DataMesh/Freshness';
