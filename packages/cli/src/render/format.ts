export const FORMATS = ['text', 'json', 'github'] as const;
export type Format = (typeof FORMATS)[number];
