/**
 * Runs async sections one at a time, in call order. Commands read state and append events inside
 * a section, so no other command can interleave between the read and the write.
 */
export class Serializer {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(section: () => Promise<T>): Promise<T> {
    const result = this.tail.then(section, section);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
