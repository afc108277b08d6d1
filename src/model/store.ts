/**
 * @module model/store
 * Model files on disk: read and validate; write atomically (temp file, fsync, rename), so a
 * reader never sees half a model and a crash mid-write leaves the old one in place.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PagesiftError } from '../errors';
import { parseModel, recordedFieldsOf, serializeModel, type ModelFile, type RecordedFields } from './model-file';

export function readModel(file: string): ModelFile {
  let json: string;
  try {
    json = fs.readFileSync(file, 'utf8');
  } catch (cause) {
    throw new PagesiftError('model_invalid', `cannot read model file ${file}: ${(cause as Error).message}`, { cause });
  }
  try {
    return parseModel(json);
  } catch (error) {
    if (error instanceof PagesiftError) throw new PagesiftError(error.code, `${file}: ${error.message}`, { cause: error });
    throw error;
  }
}

/**
 * What rewriting the model of `version` keeps of the file at `file`: its training time and recorded
 * evaluation, if the file holds that version; undefined when there is no such file or it does not
 * read. Only those two fields are read and checked: the version's hash covers neither, so checking
 * every count and the hash (readModel) vouched for nothing kept, and took 1.2 s of a training run.
 */
function keptFields(file: string, version: string): RecordedFields | undefined {
  let json: string;
  try {
    json = fs.readFileSync(file, 'utf8');
  } catch {
    // Absent or unreadable: there is no earlier training time to keep, which is all we wanted.
    return undefined;
  }
  return recordedFieldsOf(json, version);
}

export function writeFileAtomic(file: string, data: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(temp, 'w');
  try {
    fs.writeSync(fd, data);
    fs.fsyncSync(fd);
  } catch (error) {
    fs.closeSync(fd);
    fs.rmSync(temp, { force: true });
    throw error;
  }
  fs.closeSync(fd);
  fs.renameSync(temp, file);
  // The rename is durable only once the directory entry is: without this a crash can undo it.
  const dir = fs.openSync(path.dirname(file), 'r');
  try {
    fs.fsyncSync(dir);
  } finally {
    fs.closeSync(dir);
  }
}

/** How every model file starts (serializeModel writes these keys first): its version is in its first bytes. */
const HEAD = /^\{"format":"[^"]*","formatVersion":\d+,"version":"([^"]*)"/;

/**
 * Whether `file` may be a model of `version`: false when there is no file or its first bytes name
 * another version. Parsing a model file to learn its version takes a second of a training run.
 */
function mayHoldVersion(file: string, version: string): boolean {
  let head: string;
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const buffer = Buffer.alloc(256);
      head = buffer.toString('utf8', 0, fs.readSync(fd, buffer, 0, buffer.length, 0));
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return false;
  }
  const match = HEAD.exec(head);
  // Laid out otherwise: only a full read can tell.
  return match ? match[1] === version : true;
}

/**
 * Writes the model. Training the same data again gives the same version; then the earlier
 * `trainedAt` (and recorded evaluation) is kept so the file stays byte-identical and a committed
 * model does not churn. Returns what was written.
 */
export function writeModel(file: string, model: ModelFile): ModelFile {
  const kept = mayHoldVersion(file, model.version) ? keptFields(file, model.version) : undefined;
  const toWrite = kept ? { ...model, trainedAt: kept.trainedAt, ...(kept.evaluation ? { evaluation: kept.evaluation } : {}) } : model;
  writeFileAtomic(file, serializeModel(toWrite));
  return toWrite;
}
