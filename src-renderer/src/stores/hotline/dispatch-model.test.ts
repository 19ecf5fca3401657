import { describe, expect, it } from 'vitest';
import type { DispatchState } from '@shared/contract';
import { DEFAULT_TAXONOMY, taxonomyLeaves } from '@shared/domain';
import {
  acceptableDepartments,
  currentDepartment,
  reassignTargets,
  searchLeaves,
  validateReassign,
} from './dispatch-model';

function dispatch(over: Partial<DispatchState> = {}): DispatchState {
  return {
    ticketId: 'T1',
    departments: [{ departmentId: 'env', state: 'pending' }],
    owner: null,
    reassignments: [],
    suggested: { category: 'a/b/c', confidence: 0.8, departmentIds: ['env'] },
    chosen: { category: 'a/b/c', departmentIds: ['env'] },
    overridden: false,
    ...over,
  };
}

const DEPTS = [{ id: 'env' }, { id: 'city' }, { id: 'police' }];

describe('dispatch model', () => {
  it('knows who holds the request: the owner, the single pending department, or nobody during a double dispatch', () => {
    expect(currentDepartment(dispatch())).toBe('env');
    expect(
      currentDepartment(
        dispatch({
          departments: [
            { departmentId: 'env', state: 'released' },
            { departmentId: 'city', state: 'accepted' },
          ],
          owner: 'city',
        }),
      ),
    ).toBe('city');
    const double = dispatch({
      departments: [
        { departmentId: 'env', state: 'pending' },
        { departmentId: 'city', state: 'pending' },
      ],
    });
    expect(currentDepartment(double)).toBeNull();
    expect(acceptableDepartments(double)).toEqual(['env', 'city']);
  });

  it('offers accepting only while two departments are pending and none owns it', () => {
    expect(acceptableDepartments(dispatch())).toEqual([]);
    expect(
      acceptableDepartments(
        dispatch({
          departments: [
            { departmentId: 'env', state: 'accepted' },
            { departmentId: 'city', state: 'released' },
          ],
          owner: 'env',
        }),
      ),
    ).toEqual([]);
  });

  it('leaves the current department (or both pending ones) out of the reassign targets', () => {
    expect(reassignTargets(dispatch(), DEPTS).map((d) => d.id)).toEqual(['city', 'police']);
    expect(
      reassignTargets(
        dispatch({
          departments: [
            { departmentId: 'env', state: 'pending' },
            { departmentId: 'city', state: 'pending' },
          ],
        }),
        DEPTS,
      ).map((d) => d.id),
    ).toEqual(['police']);
    expect(
      reassignTargets(
        dispatch({
          departments: [
            { departmentId: 'env', state: 'released' },
            { departmentId: 'city', state: 'accepted' },
          ],
          owner: 'city',
        }),
        DEPTS,
      ).map((d) => d.id),
    ).toEqual(['env', 'police']);
  });

  it('checks the reassign form: department and reason required, reason length, category a known leaf', () => {
    const leaves = ['环境保护/环境污染/噪音污染'];
    expect(validateReassign({ departmentId: '', reason: '  ', category: '' }, leaves)).toEqual({
      departmentId: 'departmentRequired',
      reason: 'reasonRequired',
    });
    expect(validateReassign({ departmentId: 'city', reason: 'x'.repeat(501), category: '' }, leaves)).toEqual(
      {
        reason: 'reasonTooLong',
      },
    );
    expect(
      validateReassign({ departmentId: 'city', reason: '非本单位职责', category: '噪音' }, leaves),
    ).toEqual({
      category: 'categoryUnknown',
    });
    expect(
      validateReassign(
        { departmentId: 'city', reason: '非本单位职责', category: ' 环境保护/环境污染/噪音污染 ' },
        leaves,
      ),
    ).toEqual({});
  });

  it('searches the taxonomy by Chinese path, English path and keywords, leaf-name matches first', () => {
    const leaves = taxonomyLeaves(DEFAULT_TAXONOMY);
    const noise = searchLeaves(leaves, '噪音');
    expect(noise.length).toBeGreaterThan(0);
    expect(noise[0]!.path.split('/')[2]).toContain('噪音');
    // Every word must match somewhere.
    expect(searchLeaves(leaves, '噪音 不存在的词')).toEqual([]);
    const english = searchLeaves(leaves, noise[0]!.pathEn.split(' / ')[2]!.toLowerCase());
    expect(english.map((l) => l.path)).toContain(noise[0]!.path);
    expect(searchLeaves(leaves, '', 5)).toHaveLength(5);
    expect(searchLeaves(leaves, '', 5)[0]).toBe(leaves[0]);
  });
});
