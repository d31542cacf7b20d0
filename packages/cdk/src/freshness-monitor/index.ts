export * from './freshness-monitor-props';
export * from './freshness-monitor';
