export * from './domain-dashboard-props';
export * from './domain-dashboard';
