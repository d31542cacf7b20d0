export * from './removal-policy';
export * from './names';
export * from './lambda';
export * from './nag';
