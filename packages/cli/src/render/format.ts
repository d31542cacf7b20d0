export const FORMATS = ['text', 'json', 'github', 'sarif', 'junit'] as const;
export type Format = (typeof FORMATS)[number];
