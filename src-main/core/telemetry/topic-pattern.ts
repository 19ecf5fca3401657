/**
 * A compiled MQTT topic filter: `+` matches one level, `#` the rest, `{sn}` one level whose value is
 * the device SN.
 */
export interface TopicMatcher {
  /** The SN when the pattern has `{sn}` ('' when it has none), or null when the topic does not match. */
  match(levels: readonly string[]): string | null;
}

export function compileTopicPattern(pattern: string): TopicMatcher {
  const parts = pattern.split('/');
  const multi = parts[parts.length - 1] === '#';
  const fixed = multi ? parts.slice(0, -1) : parts;
  const snAt = fixed.indexOf('{sn}');
  return {
    match(levels) {
      if (multi ? levels.length < fixed.length : levels.length !== fixed.length) return null;
      for (let i = 0; i < fixed.length; i++) {
        const p = fixed[i]!;
        if (p !== '+' && p !== '{sn}' && p !== levels[i]) return null;
        if ((p === '+' || p === '{sn}') && levels[i] === '') return null;
      }
      return snAt >= 0 ? levels[snAt]! : '';
    },
  };
}
