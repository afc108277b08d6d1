/**
 * @module cli/paths
 * Where the CLIs find the project's files by default (relative to the compiled code, so they work
 * from any working directory).
 */
import path from 'node:path';

export const DEFAULT_DATA_DIR = path.resolve(__dirname, '..', '..', 'training-data');
