export * from './pii-projection-props';
export * from './pii-projection';
