export * from './kafka-topic-props';
export * from './kafka-topic';
