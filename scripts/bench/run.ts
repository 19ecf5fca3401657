import { benchBoard } from './bench-board';
import { benchClassify } from './bench-classify';
import { benchClassifyTraining } from './bench-classify-training';
import { benchColdStart } from './bench-cold-start';
import { benchHeatmap } from './bench-heatmap';
import { benchIngest } from './bench-ingest';
import { benchPredictScoring } from './bench-predict-scoring';
import { benchPredictive } from './bench-predictive';
import { benchRouting } from './bench-routing';
import { benchStore } from './bench-store';
import { benchSync } from './bench-sync';

const benches: Record<string, () => Promise<void>> = {
  store: () => benchStore(),
  board: () => benchBoard(),
  sync: () => benchSync(),
  'cold-start': () => benchColdStart(),
  heatmap: () => benchHeatmap(),
  ingest: () => benchIngest(),
  'predict-scoring': () => benchPredictScoring(),
  predictive: () => benchPredictive(),
  classify: () => benchClassify(),
  'classify-training': () => benchClassifyTraining(),
  routing: () => benchRouting(),
};

const usage = `usage: npm run bench -- <${[...Object.keys(benches), 'all'].join('|')}>

Prints one JSON line per figure: {"bench","metric","value","unit","baseline","ratio"}.
Environment: BENCH_SECONDS, BENCH_TICKETS (default 1000000), BENCH_ROUNDS, BENCH_RATE,
BENCH_FRESH=1 (rebuild the cached dataset), BENCH_DATA (dataset folder, default $TMPDIR/watchfloor-bench).
sync and cold-start need \`npm run build\` first; cold-start needs /usr/bin/chromium.`;

const names = process.argv.slice(2);
if (names.length === 0 || names.includes('--help')) {
  process.stdout.write(usage + '\n');
  process.exit(names.length === 0 ? 2 : 0);
}
const selected = names.includes('all') ? Object.keys(benches) : names;
for (const name of selected) {
  const bench = benches[name];
  if (!bench) {
    process.stderr.write(`unknown benchmark "${name}"\n${usage}\n`);
    process.exit(2);
  }
  await bench();
}
