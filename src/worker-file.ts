/**
 * @module worker-file
 * Where a worker thread's compiled file is. Worker threads run JavaScript files: from dist/ the
 * file is beside its module; under ts-jest the module runs from src/, where only the .ts exists, so
 * the build's copy is used (`npm test` builds first). The same holds for the build's WebAssembly
 * (model/gradient.wasm, assembled from src/model/gradient.wat).
 */
import fs from 'node:fs';
import path from 'node:path';

/** The compiled `file` of `folder` (a folder of src/, such as "retrain"). */
export function compiledWorkerFile(folder: string, file: string): string {
  const beside = path.join(__dirname, folder, file);
  return fs.existsSync(beside) ? beside : path.resolve(__dirname, '..', 'dist', folder, file);
}
