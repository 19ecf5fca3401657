import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerRouteCommand } from './route-command';

function cli() {
  const out: string[] = [];
  const errors: string[] = [];
  const codes: number[] = [];
  const program = new Command('watchfloor').exitOverride().configureOutput({
    writeOut: (s) => out.push(s),
    writeErr: (s) => errors.push(s),
  });
  registerRouteCommand(program, { write: (s) => out.push(s), setExitCode: (c) => codes.push(c) });
  const run = (...args: string[]) => program.parseAsync(['route', ...args], { from: 'user' });
  return { run, out, errors, codes };
}

describe('watchfloor route', () => {
  it('prints the cell, district, street and grid manager as one JSON object', async () => {
    const c = cli();
    await c.run('--lng', '120.16', '--lat', '30.276', '--category', '环境保护/噪音污染/施工噪音', '--json');
    expect(c.out).toHaveLength(1);
    const r = JSON.parse(c.out[0]!) as Record<string, unknown>;
    expect(r.ok).toBe(true);
    expect(r.cell).toMatch(/^\d{6}-\d{3}-\d{3}$/);
    expect(typeof r.district).toBe('string');
    expect(typeof r.street).toBe('string');
    expect(typeof r.gridManager).toBe('string');
    // 施工噪音 is not a class of the project's taxonomy, but its level-1 prefix still has an owner.
    expect(r.department).toMatchObject({ departmentId: expect.any(String), rule: expect.any(String) });
    expect(r.departmentNote).toBeNull();
    expect(r.input).toEqual({
      lng: 120.16,
      lat: 30.276,
      crs: 'wgs84',
      category: '环境保护/噪音污染/施工噪音',
    });
    expect(c.codes).toEqual([]);
  });

  it('routes GCJ-02 coordinates and addresses', async () => {
    const a = cli();
    await a.run('--lng', '120.1646', '--lat', '30.2736', '--gcj02', '--json');
    const gcj = JSON.parse(a.out[0]!) as { location: { lng: number; given: { crs: string } } };
    expect(gcj.location.given.crs).toBe('gcj02');
    expect(gcj.location.lng).toBeLessThan(120.1646);
    const b = cli();
    await b.run('--address', '杭州市西湖区古荡街道文三路268号', '--json');
    expect(JSON.parse(b.out[0]!)).toMatchObject({ ok: true, district: '西湖区', street: '古荡街道' });
  });

  it('prints the reason and exits 2 for a point outside the city', async () => {
    const c = cli();
    await c.run('--lng', '121.4737', '--lat', '31.2304', '--json');
    const r = JSON.parse(c.out[0]!) as { ok: boolean; cell: null; reason: { code: string } };
    expect(r).toMatchObject({ ok: false, cell: null, reason: { code: 'outside-city' } });
    expect(c.codes).toEqual([2]);
  });

  it('refuses bad input with clear messages', async () => {
    await expect(cli().run('--lng', '120.16', '--json')).rejects.toThrow(/--lat is missing/);
    await expect(cli().run('--json')).rejects.toThrow(/--lng and --lat, or --address/);
    const range = cli();
    await expect(range.run('--lng', '120.16', '--lat', '95')).rejects.toThrow();
    expect(range.errors.join('')).toMatch(/must be a number from -90 to 90/);
    const word = cli();
    await expect(word.run('--lng', 'east', '--lat', '30')).rejects.toThrow();
    expect(word.errors.join('')).toMatch(/--lng <x>.*must be a number from -180 to 180/);
    await expect(cli().run('--address', '  ')).rejects.toThrow(/--address is empty/);
  });
});
