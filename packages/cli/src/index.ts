export { main } from './main';
export { type Io, UsageError, EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE } from './io';
