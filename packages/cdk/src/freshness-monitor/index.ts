export * from './freshness-monitor-props';
export * from './freshness-monitor';
export * from './freshness-monitor-config';
