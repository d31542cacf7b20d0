export * from './catalog-registration-props';
export * from './catalog-registration';
export * from './datahub-types';
