export * from './athena-workgroup-props';
export * from './athena-workgroup';
