import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Command } from 'commander';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { registerClassifyCommand } from './classify-command';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wf-classify-cmd-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(() => {
  process.exitCode = undefined;
});

function cli(stdin = '') {
  const out: string[] = [];
  const progress: string[] = [];
  const program = new Command('watchfloor').exitOverride().configureOutput({
    writeOut: (s) => out.push(s),
    writeErr: (s) => progress.push(s),
  });
  registerClassifyCommand(program, {
    write: (s) => out.push(s),
    progress: (s) => progress.push(s),
    input: Readable.from([stdin]),
  });
  const run = (...args: string[]) => program.parseAsync(args, { from: 'user' });
  return { run, out, progress };
}

describe('watchfloor classify --json', () => {
  it('answers every JSON line in order, with an error object for the bad ones', async () => {
    const input = [
      JSON.stringify({ text: '楼下广场舞音响太吵，晚上十点还在放' }),
      '{"text": "unterminated',
      JSON.stringify({ text: 'The bus is late again' }),
      JSON.stringify({ message: '缺少text字段' }),
      '',
      JSON.stringify({ text: '公司拖欠了我们三个月的工资' }),
    ].join('\n');
    const c = cli(input);
    await c.run('classify', '--json');
    const lines = c.out
      .join('')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatchObject({ category: '环境保护/环境污染/噪音污染', department: 'dept-env' });
    expect(lines[0].confidence).toBeGreaterThan(0);
    expect(lines[0].confidence).toBeLessThanOrEqual(1);
    expect(lines[1]).toMatchObject({ line: 2, error: { code: 'invalid-json' } });
    expect(lines[2]).toMatchObject({ line: 3, error: { code: 'unsupported-language' } });
    expect(lines[3]).toMatchObject({ line: 4, error: { code: 'invalid-request' } });
    expect(lines[4].category.startsWith('劳动和社会保障/')).toBe(true);
    expect(process.exitCode).toBe(1);
  });
});

describe('watchfloor classifier train', () => {
  const noise = [
    '烧烤店半夜音乐吵',
    '工地夜间施工扰民',
    '广场舞声音太大',
    '邻居装修噪音',
    '酒吧音响震天响',
    '汽车鸣笛吵得睡不着',
  ];
  const wages = [
    '公司拖欠工资不发',
    '老板欠薪跑路',
    '工资被克扣',
    '包工头不给工钱',
    '三个月没发工资',
    '离职后不结算工资',
  ];

  it('prints a held-out report and writes a model that classify can use', async () => {
    const csv = join(dir, 'tickets.csv');
    const rows = [
      ...noise.map((t) => `${t},环境保护/环境污染/噪音污染`),
      ...wages.map((t) => `${t},劳动和社会保障/劳动关系/拖欠工资`),
    ];
    await writeFile(csv, ['text,category', ...rows].join('\n'));
    const model = join(dir, 'model.json');
    const c = cli();
    await c.run('classifier', 'train', '--from', csv, '--out', model, '--folds', '3');
    const text = c.out.join('');
    expect(text).toMatch(/3-fold stratified cross-validation, 12 rows/);
    expect(text).toMatch(/macro-F1 \d\.\d{3}/);
    expect(text).toContain(`Model written to ${model}`);
    expect(JSON.parse(await readFile(model, 'utf8'))).toMatchObject({ kind: 'trained', depth: 3 });

    const use = cli(JSON.stringify({ text: '隔壁装修的电钻声吵死了' }) + '\n');
    await use.run('classify', '--json', '--model', model);
    expect(JSON.parse(use.out.join(''))).toMatchObject({ category: '环境保护/环境污染/噪音污染' });
  });

  it('lists bad rows by row number and refuses to train unless told to skip them', async () => {
    const csv = join(dir, 'bad.csv');
    await writeFile(
      csv,
      [
        'text,category',
        ...noise.map((t) => `${t},环境保护`),
        'hello world,环境保护',
        ...wages.map((t) => `${t},劳动和社会保障`),
        '路灯坏了,无此分类',
      ].join('\n'),
    );
    const c = cli();
    await expect(
      c.run('classifier', 'train', '--from', csv, '--out', join(dir, 'bad.json'), '--folds', '0'),
    ).rejects.toThrow(/2 bad row\(s\).*--skip-invalid/);
    expect(c.progress.join('')).toMatch(/row 8 \(line 8\): text: the text is not Chinese/);
    expect(c.progress.join('')).toMatch(/row 15 \(line 15\): category "无此分类" is not in the taxonomy/);

    const ok = cli();
    await ok.run(
      'classifier',
      'train',
      '--from',
      csv,
      '--out',
      join(dir, 'bad.json'),
      '--folds',
      '0',
      '--skip-invalid',
      '--json',
    );
    expect(JSON.parse(ok.out.join(''))).toMatchObject({ rows: 12, badRows: 2, depth: 1, report: null });
  });
});
