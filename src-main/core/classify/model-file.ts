import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { DEFAULT_TAXONOMY, type Taxonomy } from '@shared/domain/taxonomy';
import type { TextClassifier } from '@shared/domain/classify/classifier';
import {
  ClassifierModelError,
  classifierFromJson,
  classifierToJson,
} from '@shared/domain/classify/model-json';

/** The only file IO of the classifier (Node hosts); everything else in this folder is pure. */

export function readClassifierFile(file: string, taxonomy: Taxonomy = DEFAULT_TAXONOMY): TextClassifier {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ClassifierModelError(`cannot read the classifier model ${file}: ${(err as Error).message}`);
  }
  return classifierFromJson(raw, taxonomy);
}

/** Writes the model next to its final name and renames it, so a reader never sees half a file. */
export function writeClassifierFile(file: string, classifier: TextClassifier): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(classifierToJson(classifier)) + '\n');
  renameSync(tmp, file);
}

export function readTextFile(file: string): string {
  return readFileSync(file, 'utf8');
}
