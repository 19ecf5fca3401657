import { describe, expect, it } from 'vitest';
import { formatShare, shortClasses } from './ClassifierView';

describe('classifier view helpers', () => {
  it('lists the categories of a too-few-examples refusal, and nothing for other errors', () => {
    const classes = [{ category: '环境保护/环境污染/噪音污染', count: 2 }];
    expect(
      shortClasses({
        code: 'INVALID_ARGUMENT',
        message: 'too few closed tickets to train',
        details: { code: 'too-few-examples', minPerClass: 8, classes },
      }),
    ).toEqual({ min: 8, classes });
    expect(shortClasses({ code: 'INTERNAL', message: 'boom' })).toEqual({ min: 5, classes: [] });
    expect(shortClasses(null).classes).toEqual([]);
  });

  it('formats shares as percentages', () => {
    expect(formatShare(0.9234)).toBe('92.3%');
  });
});
